import type { ModelInputSpec } from '@photo-pipeline/shared/contracts';

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The model input's size, and where the photo sits inside it (all of it, except when letterboxed). */
export interface InputGeometry {
  readonly width: number;
  readonly height: number;
  readonly content: Rect;
}

/**
 * Where a width x height photo goes in the model's input: as it is (dynamic size), stretched to the
 * fixed size, or letterboxed (scaled to fit, aspect ratio kept, centred, the rest padded).
 */
export function inputGeometry(size: ModelInputSpec['size'], width: number, height: number): InputGeometry {
  if (size.kind === 'dynamic') return { width, height, content: { left: 0, top: 0, width, height } };
  const whole = { left: 0, top: 0, width: size.width, height: size.height };
  if (size.resize === 'stretch') return { width: size.width, height: size.height, content: whole };
  const scale = Math.min(size.width / width, size.height / height);
  const contentWidth = Math.min(size.width, Math.max(1, Math.round(width * scale)));
  const contentHeight = Math.min(size.height, Math.max(1, Math.round(height * scale)));
  return {
    width: size.width,
    height: size.height,
    content: {
      left: Math.floor((size.width - contentWidth) / 2),
      top: Math.floor((size.height - contentHeight) / 2),
      width: contentWidth,
      height: contentHeight,
    },
  };
}

/** Whether the photo fills the input at its own size (no resize, no padding). */
export function isIdentity(geometry: InputGeometry, width: number, height: number): boolean {
  const { content } = geometry;
  return (
    geometry.width === width &&
    geometry.height === height &&
    content.width === width &&
    content.height === height
  );
}

/** The input tensor's dims for a layout. */
export function inputDims(layout: ModelInputSpec['layout'], geometry: InputGeometry): number[] {
  return layout === 'NHWC'
    ? [1, geometry.height, geometry.width, 3]
    : [1, 3, geometry.height, geometry.width];
}
