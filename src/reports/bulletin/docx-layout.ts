/**
 * The page geometry, type sizes and fonts of the 快报 as Word prints it, after GB/T 9704-2012
 * 《党政机关公文格式》 as offices apply it to a 简报: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm,
 * 3号仿宋 body on a fixed 28 pt line pitch (22 lines of 28 characters), page numbers in 4号半角宋体
 * between 一字线. Kept apart from the renderer so the numbers can be read and tested on their own.
 */

/** Twips (1/20 pt) per millimetre. */
const TWIPS_PER_MM = 1440 / 25.4;
export const mm = (value: number): number => Math.round(value * TWIPS_PER_MM);

export const PAGE = { width: mm(210), height: mm(297) };
/** 天头 37 mm and 订口 28 mm; the 版心 of 156 × 225 mm leaves 26 mm right and 35 mm at the foot. */
export const MARGIN = {
  top: mm(37),
  left: mm(28),
  right: mm(210 - 28 - 156),
  bottom: mm(297 - 37 - 225),
};
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

// Type sizes in half-points, by their Chinese names.
export const SIZE = {
  /** 初号 */
  chu: 84,
  /** 小初 */
  xiaochu: 72,
  /** 一号 */
  yi: 52,
  /** 二号 */
  er: 44,
  /** 三号 */
  san: 32,
  /** 小三 */
  xiaosan: 30,
  /** 四号 */
  si: 28,
  /** 小四 */
  xiaosi: 24,
} as const;

/** The fixed line pitch of the body, 28 pt, in twips. */
export const LINE_PITCH = 560;
/** GB/T 9704's 28 characters to a line of the 156 mm 版心. */
export const CHARS_PER_LINE = 28;
/**
 * 三号 is 16 pt, and 28 × 16 pt is wider than 156 mm: the characters are set a quarter point closer
 * (in twips, rounded down to whole twips), as Word's 公文 templates do with their character grid.
 * Plain character spacing rather than a docGrid with charSpace, which LibreOffice lays out with
 * far fewer characters to the line.
 */
export const BODY_CHARACTER_SPACING = Math.floor(TEXT_WIDTH / CHARS_PER_LINE - SIZE.san * 10);

/**
 * The fonts GB/T 9704 names, with the Windows fonts Word falls back to when the office PC lacks
 * the 方正 or _GB2312 faces (the fallback is written as the font table's altName).
 */
export const FONT = {
  /** 方正小标宋简体: the red 刊名. */
  title: '方正小标宋简体',
  /** 仿宋_GB2312: body text. */
  body: '仿宋_GB2312',
  /** 黑体: first-level headings. */
  heading: '黑体',
  /** 楷体_GB2312: the 编发 line and second-level headings. */
  kai: '楷体_GB2312',
  /** 宋体: page numbers (半角宋体). */
  song: '宋体',
} as const;

export const RED = 'FF0000';
export const BLACK = '000000';

/** GB/T 9704 版记 rules: the first and last 0.35 mm, those between 0.25 mm (sizes in 1/8 pt). */
export const RULE = { thick: 8, thin: 6 } as const;

/**
 * The width of text in character widths of its size: CJK and full-width forms take one, ASCII
 * (and other narrow characters) half. Close enough to decide whether a line fits.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    width += code < 0x1100 || (code >= 0xff61 && code <= 0xffdc) ? 0.5 : 1;
  }
  return width;
}

/**
 * The largest of `sizes` (half-points, largest first) at which `text` fits in `widthTwips`, or
 * the smallest when none does.
 */
export function fitSize(text: string, widthTwips: number, sizes: readonly number[]): number {
  const em = displayWidth(text);
  for (const size of sizes) {
    if (em * size * 10 <= widthTwips) return size;
  }
  return sizes[sizes.length - 1];
}

interface FontEntry {
  name: string;
  /** The Windows font Word uses when `name` is not installed. */
  altName: string;
  panose: string;
  family: 'roman' | 'modern' | 'script' | 'auto';
  pitch: 'fixed' | 'variable';
}

// Panose and signature of the GB2312 faces as Word writes them; charset 86 is GB2312, so a PC
// without the face picks a Simplified Chinese one even where the altName is missing too.
const FONT_TABLE: FontEntry[] = [
  {
    name: FONT.title,
    altName: '宋体',
    panose: '02000000000000000000',
    family: 'auto',
    pitch: 'variable',
  },
  {
    name: FONT.body,
    altName: '仿宋',
    panose: '02010609030101010101',
    family: 'modern',
    pitch: 'fixed',
  },
  {
    name: FONT.kai,
    altName: '楷体',
    panose: '02010609030101010101',
    family: 'modern',
    pitch: 'fixed',
  },
  {
    name: FONT.heading,
    altName: 'SimHei',
    panose: '02010609060101010101',
    family: 'modern',
    pitch: 'fixed',
  },
  {
    name: FONT.song,
    altName: 'SimSun',
    panose: '02010600030101010101',
    family: 'auto',
    pitch: 'variable',
  },
  {
    name: '仿宋',
    altName: 'FangSong',
    panose: '02010609060101010101',
    family: 'modern',
    pitch: 'fixed',
  },
  {
    name: '楷体',
    altName: 'KaiTi',
    panose: '02010609060101010101',
    family: 'modern',
    pitch: 'fixed',
  },
];

/**
 * word/fontTable.xml naming each font the 快报 uses with its fallback. docx writes a font table
 * only for embedded fonts, so the renderer passes this as a package override.
 */
export function fontTableXml(): string {
  const fonts = FONT_TABLE.map(
    (f) =>
      `<w:font w:name="${f.name}"><w:altName w:val="${f.altName}"/>` +
      `<w:panose1 w:val="${f.panose}"/><w:charset w:val="86"/>` +
      `<w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/>` +
      '<w:sig w:usb0="00000001" w:usb1="080E0000" w:usb2="00000010" w:usb3="00000000" w:csb0="00040000" w:csb1="00000000"/>' +
      '</w:font>',
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    fonts +
    '</w:fonts>'
  );
}

/** A run's fonts: the same face for every script, so digits and Latin set like the Chinese. */
export function fontsOf(name: string): {
  ascii: string;
  eastAsia: string;
  hAnsi: string;
  cs: string;
  hint: string;
} {
  return { ascii: name, eastAsia: name, hAnsi: name, cs: name, hint: 'eastAsia' };
}
