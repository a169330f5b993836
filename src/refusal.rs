//! Why a token is refused: a stable reason and a message for the person who has to act on it.
//! Every layer that reads tokens (JWS, JWE, the token as received, validation) refuses through
//! these, so a refusal means the same wherever it comes from.

named_enum! {
    /// Why a token was accepted or refused. The names are a stable, documented interface.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Reason {
        Valid,
        Malformed,
        AlgorithmNotAllowed,
        InvalidSignature,
        Expired,
        NotYetValid,
        MissingExpiration,
        InvalidIssuer,
        InvalidAudience,
        UnsupportedCritical,
        DecryptionFailed,
        KeyNotFound,
        TooLarge,
        InvalidClaim,
        KeySetUnavailable,
    }
}

/// A refused token: why, what to tell its holder, and its decoded protected header when it got
/// that far (a report shows it).
#[derive(Debug)]
pub struct Refusal {
    pub reason: Reason,
    pub message: String,
    pub header: Option<Vec<u8>>,
}

impl Refusal {
    pub fn new(reason: Reason, message: impl Into<String>) -> Refusal {
        Refusal { reason, message: message.into(), header: None }
    }

    /// The same refusal, for a token whose protected header was `header`.
    pub(crate) fn with_header(self, header: &[u8]) -> Refusal {
        Refusal { header: Some(header.to_vec()), ..self }
    }
}

/// The one `crit` check (RFC 7515 §4.1.11, RFC 7516 §4.1.13), for signed and encrypted tokens
/// alike: this library understands no critical extension, so a header listing any is refused.
pub(crate) fn check_critical(header_lists_crit: bool) -> Result<(), Refusal> {
    if header_lists_crit {
        return Err(Refusal::new(
            Reason::UnsupportedCritical,
            "The token header lists critical extensions ('crit') that KrJwt does not understand, so it must be refused.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_named_as_declared_in_code_order() {
        assert_eq!(Reason::ALL.len(), 15);
        assert_eq!(Reason::ALL[0], Reason::Valid);
        assert_eq!(Reason::KeySetUnavailable.name(), "KeySetUnavailable");
        assert_eq!(Reason::ALL.iter().position(|r| *r == Reason::InvalidClaim), Some(13));
    }

    #[test]
    fn critical_extensions_are_refused_with_their_reason() {
        assert!(check_critical(false).is_ok());
        let refusal = check_critical(true).unwrap_err();
        assert_eq!(refusal.reason, Reason::UnsupportedCritical);
        assert!(refusal.message.contains("'crit'"));
    }
}
