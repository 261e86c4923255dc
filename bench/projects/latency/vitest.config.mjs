export default { test: { include: ['**/*.eval.ts'] } }
