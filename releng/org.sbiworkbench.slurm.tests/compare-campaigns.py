#!/usr/bin/env python3
"""Compares two SBI Workbench campaign folders row by row: the theta, x and status arrays of every
chunk must be equal. Reads .npy files with the standard library only (float64, C order, 2-D).
   compare-campaigns.py EXPECTED ACTUAL    exit 0 when equal, 1 with the first difference."""
import ast, glob, os, struct, sys

def read_npy(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:6] != b'\x93NUMPY':
        sys.exit(f'{path}: not a .npy file')
    major = data[6]
    if major == 1:
        (hlen,) = struct.unpack('<H', data[8:10]); start = 10
    else:
        (hlen,) = struct.unpack('<I', data[8:12]); start = 12
    header = ast.literal_eval(data[start:start + hlen].decode('latin1'))
    if header['descr'] != '<f8' or header['fortran_order']:
        sys.exit(f'{path}: expected little-endian float64 in C order, got {header}')
    rows, cols = header['shape']
    values = struct.unpack(f'<{rows * cols}d', data[start + hlen:start + hlen + 8 * rows * cols])
    return [list(values[r * cols:(r + 1) * cols]) for r in range(rows)]

def same(a, b):
    return a == b or (a != a and b != b)  # NaN equals NaN here: a failed row is the same failed row

def main(expected, actual):
    chunks = sorted(os.path.basename(p) for p in glob.glob(os.path.join(expected, 'chunk_*.json')))
    other = sorted(os.path.basename(p) for p in glob.glob(os.path.join(actual, 'chunk_*.json')))
    if chunks != other:
        print(f'different chunks: {len(chunks)} in {expected}, {len(other)} in {actual}')
        return 1
    rows = 0
    for c in chunks:
        k = c[len('chunk_'):-len('.json')]
        for kind in ('theta', 'x', 'status'):
            a = read_npy(os.path.join(expected, f'{kind}_{k}.npy'))
            b = read_npy(os.path.join(actual, f'{kind}_{k}.npy'))
            if len(a) != len(b):
                print(f'{kind}_{k}.npy: {len(a)} rows against {len(b)}')
                return 1
            for i, (ra, rb) in enumerate(zip(a, b)):
                if len(ra) != len(rb) or not all(same(u, v) for u, v in zip(ra, rb)):
                    print(f'{kind}_{k}.npy row {i}: {ra} against {rb}')
                    return 1
            if kind == 'theta':
                rows += len(a)
    print(f'equal: {len(chunks)} chunks, {rows} rows of theta, x and status')
    return 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
