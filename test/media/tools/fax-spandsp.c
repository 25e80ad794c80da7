/*
 * A T.30 fax machine over audio (spandsp fax_state_t, ITU-T T.30 with V.21/V.27ter/V.29/V.17):
 *   fax-spandsp make <tiff> <lines>       writes a one-page test image (1728 px wide, 204x98 dpi, T.4 1-D)
 *   fax-spandsp send <tiff>               calling party: sends CNG, then the page
 *   fax-spandsp receive <tiff>            answering party: sends CED, receives the page into <tiff>
 * In send/receive mode it reads 8 kHz s16le audio on stdin in blocks of 160 samples and answers each
 * block with 160 samples of its own on stdout (lock-step: the caller paces time). At T.30 phase E it
 * prints one line to stderr: "phase-e code=<n> pages=<n> rate=<bit/s> ecm=<0|1> text=<completion text>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <tiffio.h>
#include <spandsp.h>

static int make_tiff(const char *file, int lines) {
  TIFF *t = TIFFOpen(file, "w");
  if (!t) return 1;
  TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 1728);
  TIFFSetField(t, TIFFTAG_IMAGELENGTH, lines);
  TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
  TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3);
  TIFFSetField(t, TIFFTAG_GROUP3OPTIONS, 0);
  TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
  TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_LSB2MSB);
  TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, lines);
  TIFFSetField(t, TIFFTAG_XRESOLUTION, 204.0f);
  TIFFSetField(t, TIFFTAG_YRESOLUTION, 98.0f);
  TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  TIFFSetField(t, TIFFTAG_PAGENUMBER, 0, 1);
  uint8_t row[1728 / 8];
  for (int y = 0; y < lines; y++) {
    /* a frame, stripes and a checker board: something a decoder would garble if bits were lost */
    for (int x = 0; x < 1728 / 8; x++) {
      uint8_t v = 0;
      if (y < 4 || y >= lines - 4 || x == 0 || x == 1728 / 8 - 1) v = 0xff;
      else if ((y / 8) % 4 == 1) v = (uint8_t) ((x % 3 == 0) ? 0xff : 0x00);
      else if ((y / 8) % 4 == 3) v = (uint8_t) ((((x / 2) + (y / 16)) & 1) ? 0xf0 : 0x0f);
      row[x] = v;
    }
    if (TIFFWriteScanline(t, row, (uint32_t) y, 0) < 0) return 2;
  }
  TIFFWriteDirectory(t);
  TIFFClose(t);
  return 0;
}

static void phase_e(t30_state_t *s, void *user_data, int code) {
  (void) user_data;
  t30_stats_t st;
  t30_get_transfer_statistics(s, &st);
  fprintf(stderr, "phase-e code=%d pages=%d rate=%d ecm=%d text=%s\n", code, st.pages_tx > st.pages_rx ? st.pages_tx : st.pages_rx,
          st.bit_rate, st.error_correcting_mode, t30_completion_code_to_str(code));
  fflush(stderr);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "make") == 0) return make_tiff(argv[2], argc > 3 ? atoi(argv[3]) : 200);
  if (argc < 3 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "receive") != 0)) {
    fprintf(stderr, "usage: fax-spandsp make|send|receive <tiff>\n");
    return 64;
  }
  int calling = strcmp(argv[1], "send") == 0;
  fax_state_t *fax = fax_init(NULL, calling);
  fax_set_transmit_on_idle(fax, 1);
  t30_state_t *t30 = fax_get_t30_state(fax);
  t30_set_tx_ident(t30, calling ? "HT813 SENDER" : "HT813 RECEIVER");
  t30_set_supported_modems(t30, T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17);
  t30_set_ecm_capability(t30, 0);
  t30_set_phase_e_handler(t30, phase_e, NULL);
  if (calling) t30_set_tx_file(t30, argv[2], -1, -1);
  else t30_set_rx_file(t30, argv[2], -1);
  int16_t in[160], out[160];
  for (;;) {
    size_t n = fread(in, 2, 160, stdin);
    if (n == 0) break;
    fax_rx(fax, in, (int) n);
    int m = fax_tx(fax, out, 160);
    if (m < 160) memset(out + m, 0, (size_t) (160 - m) * 2);
    if (fwrite(out, 2, 160, stdout) != 160) break;
    fflush(stdout);
  }
  fax_release(fax);
  fax_free(fax);
  return 0;
}
