#!/usr/bin/env bash
# Makes the self-signed certificate the TLS tests use (valid 100 years, for localhost and 127.0.0.1).
# Run from this directory: ./make_cert.sh   (needs openssl; the key is PKCS#8, as Netty and gRPC read it)
set -euo pipefail
openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout key.pem -out cert.pem 2>/dev/null
echo "wrote cert.pem and key.pem"
