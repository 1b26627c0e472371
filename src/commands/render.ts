import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import { renderMessages, type VarValues } from '../core/template.js';
import { VarValue } from '../core/schemas/evalset.js';
import { loadProject } from '../infra/project.js';
import { resolveVersion } from '../infra/project-query.js';
import { decodeUtf8, parseYamlText } from '../infra/yaml-text.js';
import { useVersions } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl render <id>@<version> --var k=v ... [--vars-file f.yaml]`: the exact messages that would be sent. */

export const RenderOptions = z.object({
  ref: z.string(),
  var: z.array(z.string()).default([]),
  varsFile: z.string().optional(),
});

function parseVarFlags(flags: string[]): VarValues {
  const out: VarValues = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new InputError({ message: `--var "${flag}" is not name=value`, hint: 'write --var question="How do I reset my password?"' });
    }
    out[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return out;
}

function readVarsFile(cwd: string, file: string): VarValues {
  const abs = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    throw new InputError({ message: `cannot read --vars-file ${file}`, why: (e as Error).message, hint: 'check the path.' });
  }
  const decoded = decodeUtf8(bytes, file);
  const parsed = decoded.text === undefined ? undefined : parseYamlText(decoded.text, file);
  const problems = decoded.problems.length ? decoded.problems : (parsed?.problems ?? []);
  if (problems.length) throw new InputError({ message: `--vars-file ${file} is not valid YAML`, problems });
  const checked = z.record(z.string(), VarValue).safeParse(parsed!.data);
  if (!checked.success) {
    throw new InputError({
      message: `--vars-file ${file} must map variable names to strings, numbers or booleans`,
      problems: checked.error.issues.map((i) => {
        const pos = parsed!.locate(i.path as (string | number)[]);
        return { file, line: pos.line, col: pos.col, field: i.path.join('.'), message: i.message, severity: 'error' as const };
      }),
    });
  }
  return checked.data;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = RenderOptions.parse(raw);
  const project = loadProject(ctx.cwd);
  const p = resolveVersion(project, parsePromptRef(opts.ref, { requireVersion: true }));
  const values = { ...(opts.varsFile ? readVarsFile(ctx.cwd, opts.varsFile) : {}), ...parseVarFlags(opts.var) };
  const rendered = renderMessages(p.data, values);
  if (rendered.problems.length) {
    throw new InputError({
      message: `cannot render ${p.id}@${p.version}`,
      problems: rendered.problems.map((r) => {
        const pos = p.locate(['variables']);
        return { file: p.file, line: pos.line, col: pos.col, field: r.variable ? `variables.${r.variable}` : 'messages', message: r.message, severity: 'error' as const };
      }),
      hint: 'pass every required variable with --var name=value or --vars-file vars.yaml.',
    });
  }
  // Registered only once the input is known good: a bad invocation leaves the registry untouched.
  await useVersions(project, [p]);
  const settings = { model: project.config.server.model, ...project.config.defaults, ...p.data.model };
  return {
    data: { id: p.id, version: p.version, contentHash: p.hash, settings, messages: rendered.messages },
    text: () => rendered.messages.flatMap((m) => [`--- ${m.role} ---`, m.content.trimEnd()]),
  };
}
