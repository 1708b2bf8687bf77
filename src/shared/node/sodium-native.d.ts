// The two calls of libsodium (sodium-native) the session code uses: ChaCha20-Poly1305, RFC 8439 ("IETF").
declare module 'sodium-native' {
  interface Sodium {
    /** Writes ciphertext || 16-byte tag into `out` (message.length + 16 bytes); returns that length. */
    crypto_aead_chacha20poly1305_ietf_encrypt(
      out: Uint8Array,
      message: Uint8Array,
      ad: Uint8Array | null,
      nsec: null,
      nonce: Uint8Array,
      key: Uint8Array,
    ): number;
    /** Writes the plaintext into `out` (ciphertext.length - 16 bytes); throws when the tag does not verify. */
    crypto_aead_chacha20poly1305_ietf_decrypt(
      out: Uint8Array,
      nsec: null,
      ciphertext: Uint8Array,
      ad: Uint8Array | null,
      nonce: Uint8Array,
      key: Uint8Array,
    ): number;
  }
  const sodium: Sodium;
  export default sodium;
}
