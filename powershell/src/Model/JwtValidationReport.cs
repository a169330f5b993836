namespace KrJwt;

/// <summary>What Test-KrJWT -Detailed returns: the verdict, a stable reason and the claims.</summary>
public sealed class JwtValidationReport
{
    private JwtValidationReport(JsonElement root, KrReason reason)
    {
        IsValid = JsonToPowerShell.Bool(root, "valid");
        Reason = reason;
        Header = JsonToPowerShell.DictionaryOrNull(root, "header");
        Claims = JsonToPowerShell.DictionaryOrNull(root, "claims");
        Key = JsonToPowerShell.DictionaryOrNull(root, "key");
        WithinClockSkew = JsonToPowerShell.Bool(root, "withinClockSkew");
        AllowableAlgorithm = JsonToPowerShell.String(root, "allowableAlgorithm");
        string message = JsonToPowerShell.String(root, "message") ?? string.Empty;
        Message = AllowableAlgorithm is string alg
            ? $"{message} To accept {alg} tokens with this key, allow that algorithm explicitly with -Algorithm " +
              $"(Get-KrJWTValidationParameter ... -Algorithm {alg}; for a bearer scheme, Add-KrJWTBearerAuthentication ... -ValidAlgorithms {alg})."
            : message;
    }

    public bool IsValid { get; }

    /// <summary>Why the token is (in)valid; <see cref="KrReason.Valid"/> when it is.</summary>
    public KrReason Reason { get; }

    /// <summary>The library's explanation.</summary>
    public string Message { get; }

    /// <summary>The token's JOSE header when it could be decoded, else null.</summary>
    public OrderedDictionary? Header { get; }

    /// <summary>The token's claims when it could be decoded, else null.</summary>
    public OrderedDictionary? Claims { get; }

    /// <summary>The key whose signature matched (kid, kty, algorithm; no key material), null when none did.</summary>
    public OrderedDictionary? Key { get; }

    /// <summary>
    /// True when the token passed only because of the clock skew: it expired, or starts, less than
    /// the skew ago (or ahead). The Message says which.
    /// </summary>
    public bool WithinClockSkew { get; }

    /// <summary>
    /// With Reason AlgorithmNotAllowed: the token's algorithm when a configured key could verify it,
    /// were it allowed with -Algorithm (a key is pinned to its own algorithm unless others are named).
    /// </summary>
    public string? AllowableAlgorithm { get; }

    public override string ToString() => IsValid ? "Valid" : $"{Reason}: {Message}";

    /// <summary>Shapes the library's validation report JSON.</summary>
    internal static JwtValidationReport FromJson(string json)
    {
        using JsonDocument document = JsonToPowerShell.Parse(json);
        JsonElement root = document.RootElement;
        string reasonName = JsonToPowerShell.String(root, "reason") ?? string.Empty;
        if (!Enum.TryParse(reasonName, ignoreCase: false, out KrReason reason) || !Enum.IsDefined(typeof(KrReason), reason))
        {
            throw new KrJwtException(
                KrStatus.InvalidJson,
                $"The krjwt library reported the unknown validation reason '{reasonName}': the module and the library are out of step; rebuild both with ./build.sh.");
        }

        return new JwtValidationReport(root, reason);
    }
}
