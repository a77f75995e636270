/**
 * Projective warping: a flat texture mapped onto a quadrilateral (a wall seen in perspective).
 * sharp has affine transforms only, so the warp is an inverse mapping over typed arrays: every
 * output pixel inside the quad looks up its texture position through the homography and samples it
 * bilinearly.
 */
export type Point = [number, number];

/** The 3×3 homography (as 9 numbers, h33 = 1) that maps each `from` point onto its `to` point. */
export function homography(from: readonly Point[], to: readonly Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error('degenerate quadrilateral');
    for (let k = col; k < 9; k++) a[col]![k]! /= p;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f !== 0) for (let k = col; k < 9; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return [...a.map((row) => row[8]!), 1];
}

export function apply(h: readonly number[], x: number, y: number): Point {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

/**
 * Warps an RGBA texture onto `quad` (top-left, top-right, bottom-right, bottom-left) of a
 * canvas-sized RGBA layer; pixels outside the quad stay transparent.
 */
export function warpOnto(texture: { data: Buffer; width: number; height: number }, quad: readonly Point[], canvas: { width: number; height: number }): Buffer {
  const { width: tw, height: th, data: src } = texture;
  const inverse = homography(quad, [
    [0, 0],
    [tw, 0],
    [tw, th],
    [0, th],
  ]);
  const out = Buffer.alloc(canvas.width * canvas.height * 4);
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(canvas.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(canvas.height - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const [u, v] = apply(inverse, x + 0.5, y + 0.5);
      if (u < 0 || v < 0 || u >= tw || v >= th) continue;
      const fx = Math.min(tw - 1, Math.max(0, u - 0.5));
      const fy = Math.min(th - 1, Math.max(0, v - 0.5));
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const dx = fx - ix;
      const dy = fy - iy;
      const ix1 = Math.min(tw - 1, ix + 1);
      const iy1 = Math.min(th - 1, iy + 1);
      const o = (y * canvas.width + x) * 4;
      for (let c = 0; c < 4; c++) {
        const p00 = src[(iy * tw + ix) * 4 + c]!;
        const p10 = src[(iy * tw + ix1) * 4 + c]!;
        const p01 = src[(iy1 * tw + ix) * 4 + c]!;
        const p11 = src[(iy1 * tw + ix1) * 4 + c]!;
        out[o + c] = (p00 * (1 - dx) + p10 * dx) * (1 - dy) + (p01 * (1 - dx) + p11 * dx) * dy + 0.5;
      }
    }
  }
  return out;
}
