// Builds the package only when dist/ is older than what it is built from (src/, the build
// config, package.json), so `npm run example` starts at once on a fresh build. The build writes
// dist/schema.json last: its time is the build's.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function newest(p) {
  const s = statSync(p)
  if (!s.isDirectory()) return s.mtimeMs
  let t = 0
  for (const name of readdirSync(p)) t = Math.max(t, newest(path.join(p, name)))
  return t
}

let built = 0
try {
  built = statSync(path.join(root, 'dist/schema.json')).mtimeMs
} catch {
  // No build yet.
}
const sources = Math.max(
  ...['src', 'tsup.config.ts', 'package.json', 'scripts/write-schema.mjs'].map((p) =>
    newest(path.join(root, p)),
  ),
)
if (built > sources) {
  console.log('evalgate: dist/ is up to date; not rebuilding')
} else {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  process.exit(r.status ?? 1)
}
