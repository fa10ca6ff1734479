// OpenSSL's libcrypto (Debian libssl-dev): HMAC-SHA256 for Jupyter message signatures.
#include <stddef.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/// HMAC-SHA256 of `data` under `key` into `digest` (32 bytes). Returns 1 on success.
static inline int tb_hmac_sha256(const void *key, int key_length, const unsigned char *data, size_t length,
                                 unsigned char *digest) {
    unsigned int digest_length = 0;
    return HMAC(EVP_sha256(), key, key_length, data, length, digest, &digest_length) != NULL && digest_length == 32;
}

/// Compares two byte strings in time that does not depend on where they differ.
static inline int tb_constant_time_equal(const void *a, const void *b, size_t length) {
    return CRYPTO_memcmp(a, b, length) == 0;
}
