// The merge's writer (cli/write-atomic.ts): many chunks, many to a system call, into a file
// that appears whole or not at all.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../src/cli/write-atomic.js'

describe('writeFileAtomic', () => {
  it('writes thousands of chunks in order (views of shared memory, empty ones) and leaves no temporary file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-write-'))
    const shared = new Uint8Array(new SharedArrayBuffer(4096))
    shared.fill(0x61)
    const chunks: Uint8Array[] = []
    let expected = ''
    for (let i = 0; i < 5_000; i++) {
      const text = `${i},`
      chunks.push(Buffer.from(text))
      expected += text
      if (i % 3 === 0) chunks.push(new Uint8Array(0))
      if (i % 1000 === 0) {
        chunks.push(shared.subarray(i % 7, 2000))
        expected += 'a'.repeat(2000 - (i % 7))
      }
    }
    const file = path.join(dir, 'new/sub/merged.json')
    writeFileAtomic(file, chunks)
    expect(readFileSync(file, 'utf8')).toBe(expected)
    writeFileSync(path.join(dir, 'new/sub/other'), 'x')
    writeFileAtomic(file, [Buffer.from('again')])
    expect(readFileSync(file, 'utf8')).toBe('again')
    expect(readdirSync(path.join(dir, 'new/sub')).sort()).toEqual(['merged.json', 'other'])
  })
})
