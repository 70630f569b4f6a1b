// createModel's name type: the built-in names are a literal union
// (BuiltinModelName, derived from the catalog tables) that editors complete;
// ModelName also takes any other string, because names registered at run time
// (registerModel) are valid too — an unknown one fails at run time with the
// nearest names suggested. A compile-time check is one annotation away:
// `const name: BuiltinModelName = 'resnet51'` does not type-check. Published
// weights' tags are a literal union too (PretrainedTag), which getPretrained
// and createModel's pretrained overload complete.
import { describe, expect, expectTypeOf, it } from 'vitest';
import ts from 'typescript';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, listModels } from '../src/models/registry.js';
import { listPretrained } from '../src/pretrained/catalog.js';
import type { BuiltinModelName, ModelName, PretrainedTag } from '../src/index.js';
import { ConfigError } from '../src/errors.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What the TypeScript language service (an editor) completes at the end of `source`. */
function completionsAt(source: string): string[] {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const file = path.join(root, 'test', '__completion_probe__.ts');
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = name === file ? source : ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: (name) => (name === file ? source : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const completions = service.getCompletionsAtPosition(file, source.length, {});
  service.dispose();
  return (completions?.entries ?? []).filter((e) => e.kind === ts.ScriptElementKind.string).map((e) => e.name);
}

describe('model names: a literal union editors complete, run-time names still accepted', () => {
  it('the literal union holds the built-in names; a typo is not one of them', () => {
    expectTypeOf<'resnet50'>().toMatchTypeOf<BuiltinModelName>();
    expectTypeOf<'resnetv2_50d'>().toMatchTypeOf<BuiltinModelName>();
    expectTypeOf<'plain110'>().toMatchTypeOf<BuiltinModelName>();
    expectTypeOf<'resnet51'>().not.toMatchTypeOf<BuiltinModelName>();
    // @ts-expect-error -- 'resnet51' is not a built-in model name
    const typo: BuiltinModelName = 'resnet51';
    expect(typo).toBe('resnet51');
    // ModelName is the built-in names plus any string (registerModel's names)
    expectTypeOf<BuiltinModelName>().toMatchTypeOf<ModelName>();
    expectTypeOf<'my_resnet'>().toMatchTypeOf<ModelName>();
    // (the pretrained overload also lists the published tags, for completion)
    expectTypeOf(createModel).parameter(0).toEqualTypeOf<ModelName | PretrainedTag>();
  });

  it('createModel("resnet51") type-checks (run-time names) and fails at run time, naming the nearest', () => {
    expect(() => createModel('resnet51')).toThrow(ConfigError);
    expect(() => createModel('resnet51')).toThrow(/did you mean .*resnet50/i);
  });

  it('pretrained tags are a literal union too, taken by getPretrained and createModel with pretrained', () => {
    expectTypeOf<'resnet50.a1_in1k'>().toMatchTypeOf<PretrainedTag>();
    expectTypeOf<'resnet32.akamaster_cifar10'>().toMatchTypeOf<PretrainedTag>();
    expectTypeOf<'resnet50.a9_in1k'>().not.toMatchTypeOf<PretrainedTag>();
    // @ts-expect-error -- 'resnet50.a9_in1k' is not a published tag
    const typo: PretrainedTag = 'resnet50.a9_in1k';
    expect(typo).toBe('resnet50.a9_in1k');
  });

  it("an editor completes getPretrained('…') with exactly the published tags", () => {
    const offered = completionsAt("import { getPretrained } from '../src/index.js';\ngetPretrained('");
    expect([...offered].sort()).toEqual(
      listPretrained()
        .map((w) => w.tag)
        .sort(),
    );
  }, 60_000);

  it("an editor completes createModel('…') with exactly the built-in names and (its pretrained overload) the published tags", () => {
    const offered = completionsAt("import { createModel } from '../src/index.js';\ncreateModel('");
    expect(offered).toContain('resnet50');
    expect(offered).toContain('seresnext50_32x4d');
    expect(offered).toContain('resnet152v2');
    expect(offered).toContain('resnet50.a1_in1k');
    const tags = listPretrained().map((w) => w.tag);
    expect(tags.length).toBeGreaterThan(50);
    expect([...offered].sort()).toEqual([...listModels(), ...tags].sort());
  }, 60_000);
});
