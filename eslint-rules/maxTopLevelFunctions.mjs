// At most `max` top-level functions a file: function declarations and consts bound to a function
// or arrow expression, exported or not. Class methods are the class's business, not the file's.
function isFunctionValue(node) {
  return node?.type === 'ArrowFunctionExpression' || node?.type === 'FunctionExpression';
}

function topLevelFunctions(statement) {
  const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
  if (!declaration) {
    return [];
  }
  if (declaration.type === 'FunctionDeclaration' || declaration.type === 'TSDeclareFunction') {
    return declaration.body ? [declaration] : [];
  }
  if (declaration.type === 'VariableDeclaration') {
    return declaration.declarations.filter((declarator) => isFunctionValue(declarator.init));
  }
  return isFunctionValue(declaration) ? [declaration] : [];
}

export default {
  meta: {
    type: 'suggestion',
    docs: { description: 'limit the number of top-level functions in a file' },
    schema: [{ type: 'object', properties: { max: { type: 'integer', minimum: 1 } }, additionalProperties: false }],
    messages: { tooMany: 'File has too many top-level functions ({{count}}). Maximum allowed is {{max}}.' },
  },
  create(context) {
    const max = context.options[0]?.max ?? 10;
    return {
      Program(program) {
        const functions = program.body.flatMap(topLevelFunctions);
        if (functions.length > max) {
          context.report({ node: functions[max], messageId: 'tooMany', data: { count: functions.length, max } });
        }
      },
    };
  },
};
