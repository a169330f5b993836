namespace KrJwt;

/// <summary>
/// Status codes of the krjwt C ABI (<c>KrStatus</c> in include/krjwt.h, docs/c-abi.md; 8 and 10
/// are retired there and stay unused).
/// </summary>
public enum KrStatus
{
    Ok = 0,
    InvalidArgument = 1,
    NullPointer = 2,
    InvalidHandle = 3,
    InvalidKey = 4,
    InvalidToken = 5,
    InvalidJson = 6,
    InvalidState = 7,
    Crypto = 9,
    Panic = 11,
}

/// <summary>
/// Why a token did or did not validate (<c>KrReason</c> in the C ABI). The member names are the
/// stable reason names the library reports in validation reports.
/// </summary>
public enum KrReason
{
    Valid = 0,
    Malformed = 1,
    AlgorithmNotAllowed = 2,
    InvalidSignature = 3,
    Expired = 4,
    NotYetValid = 5,
    MissingExpiration = 6,
    InvalidIssuer = 7,
    InvalidAudience = 8,
    UnsupportedCritical = 9,
    DecryptionFailed = 10,
    KeyNotFound = 11,
    TooLarge = 12,
    InvalidClaim = 13,
    KeySetUnavailable = 14,
}

/// <summary>How <c>kr_key_import</c> reads the bytes it is given (<c>KrKeyFormat</c>).</summary>
public enum KrKeyFormat
{
    Secret = 0,
    Base64Url = 1,
    Hex = 2,
    Passphrase = 3,
    Jwk = 4,
    Pem = 5,
    Der = 6,
}
