// Editors show what the emitted types say: every export of dist/index.d.ts, and every public member of its classes
// and interfaces (StartOptions' options, Instance's methods, the errors' fields), carries a TSDoc comment.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../helpers/env.js';

// The exported names (and Name.member) of the package's entry types that have no documentation comment.
function listUndocumented(entry: string): string[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  const module = file && checker.getSymbolAtLocation(file);
  assert.ok(module, `${entry} is a module`);
  const documented = (symbol: ts.Symbol) =>
    ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== '';
  const missing: string[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const name = exported.getName();
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!documented(symbol)) missing.push(name);
    const declaration = symbol.declarations?.[0];
    if (!declaration || !(ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)))
      continue;
    for (const member of declaration.members) {
      if (member.name && ts.isPrivateIdentifier(member.name)) continue;
      if (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Private) continue;
      if (ts.isConstructorDeclaration(member)) {
        if (ts.getJSDocCommentsAndTags(member).length === 0) missing.push(`${name}.constructor`);
        continue;
      }
      const memberSymbol = member.name && checker.getSymbolAtLocation(member.name);
      if (memberSymbol && !documented(memberSymbol)) missing.push(`${name}.${memberSymbol.getName()}`);
    }
  }
  return missing;
}

test('every public export, option, method, getter and error field of dist/index.d.ts has TSDoc', () => {
  assert.deepEqual(listUndocumented(join(ROOT, 'dist', 'index.d.ts')), []);
});
