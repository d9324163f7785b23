/* ChaCha20 (RFC 8439) keystream XOR: opens the sealed paper with the key the
   start signal brings (gongkao/cbt/sealing.py seals it). No WebCrypto: the
   room's PCs may reach the server over plain HTTP on the intranet. */
(function (global) {
  "use strict";
  function rotl(v, c) { return (v << c) | (v >>> (32 - c)); }
  function quarter(x, a, b, c, d) {
    x[a] = (x[a] + x[b]) | 0; x[d] = rotl(x[d] ^ x[a], 16);
    x[c] = (x[c] + x[d]) | 0; x[b] = rotl(x[b] ^ x[c], 12);
    x[a] = (x[a] + x[b]) | 0; x[d] = rotl(x[d] ^ x[a], 8);
    x[c] = (x[c] + x[d]) | 0; x[b] = rotl(x[b] ^ x[c], 7);
  }
  function word(bytes, i) {
    return bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
  }
  function xor(key, nonce, counter, data) {
    var state = new Int32Array(16), x = new Int32Array(16);
    var block = new Uint8Array(64), out = new Uint8Array(data.length), i, pos;
    state[0] = 0x61707865; state[1] = 0x3320646e; state[2] = 0x79622d32; state[3] = 0x6b206574;
    for (i = 0; i < 8; i++) { state[4 + i] = word(key, 4 * i); }
    state[12] = counter;
    for (i = 0; i < 3; i++) { state[13 + i] = word(nonce, 4 * i); }
    for (pos = 0; pos < data.length; pos += 64) {
      x.set(state);
      for (i = 0; i < 10; i++) {
        quarter(x, 0, 4, 8, 12); quarter(x, 1, 5, 9, 13); quarter(x, 2, 6, 10, 14); quarter(x, 3, 7, 11, 15);
        quarter(x, 0, 5, 10, 15); quarter(x, 1, 6, 11, 12); quarter(x, 2, 7, 8, 13); quarter(x, 3, 4, 9, 14);
      }
      for (i = 0; i < 16; i++) {
        var v = (x[i] + state[i]) | 0;
        block[4 * i] = v & 255; block[4 * i + 1] = (v >>> 8) & 255;
        block[4 * i + 2] = (v >>> 16) & 255; block[4 * i + 3] = (v >>> 24) & 255;
      }
      for (i = 0; i < 64 && pos + i < data.length; i++) { out[pos + i] = data[pos + i] ^ block[i]; }
      state[12] = (state[12] + 1) | 0;
    }
    return out;
  }
  function bytes(b64) {
    var bin = atob(b64), a = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { a[i] = bin.charCodeAt(i); }
    return a;
  }
  global.GkChaCha = {
    open: function (keyB64, nonceB64, sealedB64, counter) {
      return new TextDecoder().decode(xor(bytes(keyB64), bytes(nonceB64), counter, bytes(sealedB64)));
    }
  };
})(window);
