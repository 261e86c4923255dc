// An ESM Jest project (package.json "type": "module"), run with native ESM
// (NODE_OPTIONS=--experimental-vm-modules) and no transform.
export default {
  testMatch: ['**/evals/**/*.eval.js'],
  testEnvironment: 'node',
  transform: {},
  setupFilesAfterEnv: ['evalgate/jest'],
  reporters: ['default', ['evalgate/jest-reporter', {}]],
}
