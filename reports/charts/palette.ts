/**
 * Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008): eight colours that stay
 * distinguishable for the common colour-vision deficiencies and in greyscale print. Black is
 * last so it does not take the first series. Dash patterns double the encoding for print.
 */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#F0E442', '#000000'];

const DASHES: number[][] = [[], [6, 3], [2, 2], [10, 3, 2, 3], [1, 3], [8, 2, 8, 6]];

export const colour = (i: number) => OKABE_ITO[i % OKABE_ITO.length];
export const dash = (i: number) => DASHES[Math.floor(i / OKABE_ITO.length + i) % DASHES.length];

/** `#RRGGBB` with an alpha, for fills. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
