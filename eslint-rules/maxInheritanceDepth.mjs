// At most `max` levels of inheritance: a class's chain of `extends`, followed through the
// TypeScript type checker into other files and declaration files, may be at most `max` long.
import ts from 'typescript';

function baseClassOf(checker, declaration) {
  const heritage = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
  const expression = heritage?.types[0]?.expression;
  if (!expression) {
    return undefined;
  }
  let symbol = checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    symbol = checker.getAliasedSymbol(symbol);
  }
  return symbol?.declarations?.find((each) => ts.isClassDeclaration(each) || ts.isClassExpression(each)) ?? null;
}

/** How many classes lie above `declaration`; an unresolvable base counts as one more level. */
function depthOf(checker, declaration, seen = new Set()) {
  let depth = 0;
  for (let current = declaration; current && !seen.has(current); ) {
    seen.add(current);
    const base = baseClassOf(checker, current);
    if (base === undefined) {
      break;
    }
    depth++;
    current = base ?? undefined;
  }
  return depth;
}

export default {
  meta: {
    type: 'suggestion',
    docs: { description: 'limit how deep a class inherits' },
    schema: [{ type: 'object', properties: { max: { type: 'integer', minimum: 0 } }, additionalProperties: false }],
    messages: { tooDeep: 'Class inherits {{depth}} levels deep. Maximum allowed is {{max}}.' },
  },
  create(context) {
    const max = context.options[0]?.max ?? 2;
    const services = context.sourceCode.parserServices;
    if (!services?.program) {
      return {};
    }
    const checker = services.program.getTypeChecker();
    const check = (node) => {
      if (!node.superClass) {
        return;
      }
      const declaration = services.esTreeNodeToTSNodeMap.get(node);
      const depth = depthOf(checker, declaration);
      if (depth > max) {
        context.report({ node, messageId: 'tooDeep', data: { depth, max } });
      }
    };
    return { ClassDeclaration: check, ClassExpression: check };
  },
};
