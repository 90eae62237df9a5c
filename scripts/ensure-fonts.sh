#!/bin/sh
# The 水印 burned into photos' derived copies (GET /attachments/:id?variant=watermarked) is Chinese
# text set in WenQuanYi Micro Hei (Debian's fonts-wqy-microhei), which sharp's SVG renderer finds
# through fontconfig; without a CJK font the text comes out as empty boxes. Installs the font when
# missing and we are root; otherwise stops and says how. Never skips the tests.
FONT="${WATERMARK_FONT_FILE:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
if [ -f "$FONT" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "CJK font not found at $FONT: installing it (apt-get install -y fonts-wqy-microhei)"
  (apt-get install -y fonts-wqy-microhei || (apt-get update && apt-get install -y fonts-wqy-microhei)) &&
    exit 0
  echo "apt-get install -y fonts-wqy-microhei failed" >&2
  exit 1
fi
echo "CJK font not found at $FONT. Install it first:  sudo apt-get install -y fonts-wqy-microhei" >&2
exit 1
