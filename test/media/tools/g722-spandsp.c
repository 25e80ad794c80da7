/* Reads 16 kHz s16le PCM on stdin, writes G.722 64 kbit/s codes ('e'), or decodes codes to 16 kHz s16le ('d'). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <spandsp.h>
int main(int argc, char **argv) {
  int dec = argc > 1 && strcmp(argv[1], "d") == 0;
  if (!dec) { g722_encode_state_t *s = g722_encode_init(NULL, 64000, 0); int16_t in[320]; uint8_t out[160]; size_t n;
    while ((n = fread(in, 2, 320, stdin)) > 0) { int m = g722_encode(s, out, in, (int) n); fwrite(out, 1, m, stdout); } }
  else { g722_decode_state_t *s = g722_decode_init(NULL, 64000, 0); uint8_t in[160]; int16_t out[320]; size_t n;
    while ((n = fread(in, 1, 160, stdin)) > 0) { int m = g722_decode(s, out, in, (int) n); fwrite(out, 2, m, stdout); } }
  return 0;
}
