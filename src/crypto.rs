//! Key material that both the domain (an actor gets its key pair when created) and the
//! federation layer (signatures) use. No database, no network.

use aws_lc_rs::{
    encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der},
    rsa::{KeyPair, KeySize},
    signature,
};
use base64::{Engine, engine::general_purpose::STANDARD as B64};

/// A fresh RSA-2048 key pair as PEM: PKCS#8 private key, SPKI public key.
pub struct KeyPairPem {
    pub private_pem: String,
    pub public_pem: String,
}

pub fn generate_keypair() -> anyhow::Result<KeyPairPem> {
    let kp = KeyPair::generate(KeySize::Rsa2048)
        .map_err(|_| anyhow::anyhow!("RSA key generation failed"))?;
    let private: Pkcs8V1Der = kp
        .as_der()
        .map_err(|_| anyhow::anyhow!("cannot encode the private key"))?;
    let public: PublicKeyX509Der = signature::KeyPair::public_key(&kp)
        .as_der()
        .map_err(|_| anyhow::anyhow!("cannot encode the public key"))?;
    Ok(KeyPairPem {
        private_pem: pem_encode("PRIVATE KEY", private.as_ref()),
        public_pem: pem_encode("PUBLIC KEY", public.as_ref()),
    })
}

pub fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = B64.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
