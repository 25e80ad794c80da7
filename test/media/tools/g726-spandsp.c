/* Reads s16le PCM on stdin, writes G.726-32 codewords (one per byte, 'e') or decodes codewords to s16le ('d'). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <spandsp.h>
int main(int argc, char **argv) {
  int dec = argc > 1 && strcmp(argv[1], "d") == 0;
  g726_state_t *s = g726_init(NULL, 32000, G726_ENCODING_LINEAR, G726_PACKING_NONE);
  if (!dec) { int16_t in[160]; uint8_t out[160]; size_t n;
    while ((n = fread(in, 2, 160, stdin)) > 0) { int m = g726_encode(s, out, in, (int) n); fwrite(out, 1, m, stdout); } }
  else { uint8_t in[160]; int16_t out[160]; size_t n;
    while ((n = fread(in, 1, 160, stdin)) > 0) { int m = g726_decode(s, out, in, (int) n); fwrite(out, 2, m, stdout); } }
  return 0;
}
