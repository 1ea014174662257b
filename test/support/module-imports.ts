import ts from 'typescript';

/** One module a source file depends on, and the form that names it. */
export interface ModuleImport {
  readonly specifier: string;
  readonly form: 'import' | 'export-from' | 'dynamic-import' | 'import-type-query' | 'import-equals';
}

/**
 * Every module a TypeScript source names: static `import` (type-only included), `export ... from`,
 * `import x = require()`, dynamic `import()` and `import('...')` in type positions. A dynamic import of
 * a computed specifier is listed with the specifier `<computed>`, since where it leads cannot be read.
 */
export function moduleImports(fileName: string, sourceText: string): ModuleImport[] {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ModuleImport[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, form: 'import' });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, form: 'export-from' });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, form: 'import-equals' });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      const literal =
        argument !== undefined && ts.isStringLiteralLike(argument) ? argument.text : '<computed>';
      found.push({ specifier: literal, form: 'dynamic-import' });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, form: 'import-type-query' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
