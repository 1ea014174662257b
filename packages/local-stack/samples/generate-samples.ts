// Generates the sample images `pnpm start` uploads. They are synthetic (drawn here from code, no
// photographs, no download), so they carry no third-party licence; see README.md beside this file.
// Run: node samples/generate-samples.ts (from packages/local-stack). Output is deterministic, into
// images/: the folder `pnpm start` uploads, which holds nothing else.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const imagesDir = fileURLToPath(new URL('./images/', import.meta.url));

function svg(width: number, height: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

const sunset = svg(
  960,
  640,
  `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
     <stop offset="0" stop-color="#1d2b64"/><stop offset="0.6" stop-color="#f8a35b"/><stop offset="1" stop-color="#f25f5c"/>
   </linearGradient></defs>
   <rect width="960" height="640" fill="url(#sky)"/>
   <circle cx="480" cy="430" r="110" fill="#ffd166"/>
   <path d="M0 470 L180 380 L330 460 L520 340 L700 450 L960 360 L960 640 L0 640 Z" fill="#2b2d42"/>`,
);

const shapes = svg(
  640,
  640,
  `<rect x="60" y="60" width="220" height="220" rx="30" fill="#06d6a0"/>
   <circle cx="450" cy="190" r="120" fill="#118ab2" fill-opacity="0.8"/>
   <polygon points="320,360 560,600 80,600" fill="#ef476f"/>`,
);

const nightSky = svg(
  800,
  533,
  `<rect width="800" height="533" fill="#0b1026"/>
   ${Array.from({ length: 120 }, (_, i) => `<circle cx="${(i * 97) % 800}" cy="${(i * 61) % 400}" r="${1 + (i % 3)}" fill="#fff"/>`).join('')}
   <circle cx="640" cy="110" r="60" fill="#f4f1de"/>
   <rect y="430" width="800" height="103" fill="#1b1b1e"/>`,
);

const portrait = svg(
  480,
  720,
  `<rect width="480" height="720" fill="#edf2f4"/>
   <circle cx="240" cy="250" r="120" fill="#8d99ae"/>
   <rect x="110" y="400" width="260" height="280" rx="60" fill="#2b2d42"/>`,
);

const sunsetJpeg = await sharp(sunset).jpeg({ quality: 85, mozjpeg: true }).toBuffer();
writeFileSync(`${imagesDir}sunset-landscape.jpg`, sunsetJpeg);
writeFileSync(
  `${imagesDir}shapes-transparent.png`,
  await sharp(shapes).png({ compressionLevel: 9 }).toBuffer(),
);
writeFileSync(`${imagesDir}night-sky.webp`, await sharp(nightSky).webp({ quality: 80 }).toBuffer());
// Stored sideways with EXIF orientation 6: the processor must report it upright (720 wide, 480 high → 480 x 720).
writeFileSync(
  `${imagesDir}portrait-exif-rotated.jpg`,
  await sharp(portrait).rotate(-90).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer(),
);
writeFileSync(
  `${imagesDir}greyscale-gradient.png`,
  await sharp(sunset).greyscale().resize(480).png().toBuffer(),
);
// Deliberately broken: a JPEG cut in half. The API accepts it (the header is a JPEG); the processor
// records it as FAILED with IMAGE_CORRUPT, so the demo shows a failure too.
writeFileSync(
  `${imagesDir}truncated-on-purpose.jpg`,
  sunsetJpeg.subarray(0, Math.floor(sunsetJpeg.length / 2)),
);
