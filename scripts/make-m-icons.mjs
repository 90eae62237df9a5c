// Draws the phone app's home-screen icons (192 and 512 px PNG) from one SVG with sharp.
// Run once after changing the drawing: node scripts/make-m-icons.mjs
import { Buffer } from 'node:buffer';
import sharp from 'sharp';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" fill="#b71c1c"/>
  <circle cx="256" cy="256" r="170" fill="none" stroke="#ffd54f" stroke-width="22"/>
  <path d="M170 262 l60 60 l120 -130" fill="none" stroke="#ffffff" stroke-width="44"
    stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

for (const size of [192, 512]) {
  await sharp(Buffer.from(svg))
    .resize(size, size)
    .png()
    .toFile(`web/m/public/icons/icon-${size}.png`);
}
