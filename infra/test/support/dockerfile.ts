import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cmd, Copy, DockerfileParser, Entrypoint, Env, type Instruction } from 'dockerfile-ast';
import { repoRoot } from '../../src/container-images.ts';

export interface DockerStage {
  readonly name: string | undefined;
  /** The base image with ARG defaults substituted, or the name of an earlier stage. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

export interface ParsedDockerfile {
  readonly path: string;
  readonly stages: readonly DockerStage[];
  readonly final: DockerStage;
  /** Default values of every ARG, global and per stage. */
  readonly argDefaults: ReadonlyMap<string, string>;
}

/** Parses docker/<image>.Dockerfile with dockerfile-ast into stages whose FROM images are resolved. */
export function parseDockerfile(image: string): ParsedDockerfile {
  const path = join(repoRoot, 'docker', `${image}.Dockerfile`);
  const dockerfile = DockerfileParser.parse(readFileSync(path, 'utf8'));
  const argDefaults = new Map<string, string>();
  const stages: { name: string | undefined; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG') {
      const [name, value] = (instruction.getArgumentsContent() ?? '').split('=', 2);
      if (name && value !== undefined) argDefaults.set(name, value);
    }
    if (keyword === 'FROM') {
      const words = (instruction.getArgumentsContent() ?? '').split(/\s+/);
      const raw = words[0] ?? '';
      const from = raw.replace(/\$\{(\w+)\}/g, (_, name: string) => argDefaults.get(name) ?? '');
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ name: asIndex >= 0 ? words[asIndex + 1] : undefined, from, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push(instruction);
  }
  const final = stages.at(-1);
  if (!final) throw new Error(`${path} has no FROM`);
  return { path, stages, final, argDefaults };
}

/** The base image a stage ultimately builds on, following `FROM <earlier stage>`. */
export function baseImageOf(dockerfile: ParsedDockerfile, stage: DockerStage): string {
  const earlier = dockerfile.stages.find((candidate) => candidate.name === stage.from && candidate !== stage);
  return earlier ? baseImageOf(dockerfile, earlier) : stage.from;
}

export function instructionsOf(stage: DockerStage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
}

/** Every ENV variable a stage sets. */
export function envOf(stage: DockerStage): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of stage.instructions) {
    if (!(instruction instanceof Env)) continue;
    for (const property of instruction.getProperties())
      env.set(property.getName(), property.getValue() ?? '');
  }
  return env;
}

/** The exec-form words of the last CMD or ENTRYPOINT of a stage. */
export function execFormOf(stage: DockerStage, keyword: 'CMD' | 'ENTRYPOINT'): string[] | undefined {
  const matching = stage.instructions.filter((candidate) =>
    keyword === 'CMD' ? candidate instanceof Cmd : candidate instanceof Entrypoint,
  );
  const instruction = matching.at(-1);
  if (!(instruction instanceof Cmd) && !(instruction instanceof Entrypoint)) return undefined;
  return instruction.getJSONStrings().map((argument) => argument.getJSONValue());
}

export function argumentsOf(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? '';
}

/** COPY instructions as `--from=<stage> <args>` (or just `<args>`), flags included. */
export function copiesOf(stage: DockerStage): string[] {
  return stage.instructions
    .filter((instruction) => instruction instanceof Copy)
    .map((instruction) => {
      const from = instruction.getFlags().find((flag) => flag.getName() === 'from');
      return from ? `--from=${from.getValue() ?? ''} ${argumentsOf(instruction)}` : argumentsOf(instruction);
    });
}
