//! Interop with an independent implementation (Fedify).
