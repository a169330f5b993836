namespace KrJwt;

/// <summary>
/// What Get-KrJWTInfo reads from a token without validating it (never a reason to trust it).
/// Claim values keep their JSON types: strings, numbers (long or double), booleans, arrays as
/// object[] and objects as ordered dictionaries.
/// </summary>
public sealed class JwtInfo
{
    private readonly OrderedDictionary header;
    private readonly OrderedDictionary? claims;
    private readonly OrderedDictionary? outerHeader;
    private readonly string[] audiences;

    private JwtInfo(JsonElement root)
    {
        header = JsonToPowerShell.DictionaryOrNull(root, "header") ?? new OrderedDictionary(StringComparer.Ordinal);
        claims = JsonToPowerShell.DictionaryOrNull(root, "claims");
        IsEncrypted = JsonToPowerShell.Bool(root, "encrypted");
        // An encrypted token that was not opened shows only its outer header, which is also Header.
        outerHeader = JsonToPowerShell.DictionaryOrNull(root, "outerHeader") ?? (IsEncrypted && claims is null ? header : null);
        IsDecrypted = IsEncrypted && claims is not null;
        Issuer = JsonToPowerShell.String(root, "issuer");
        audiences = JsonToPowerShell.Strings(root, "audiences");
        Subject = JsonToPowerShell.String(root, "subject");
        NotBefore = JsonToPowerShell.UnixTime(root, "notBefore");
        Expires = JsonToPowerShell.UnixTime(root, "expires");
        IssuedAt = JsonToPowerShell.UnixTime(root, "issuedAt");
        NotBeforeUnixTime = JsonToPowerShell.Number(root, "notBefore");
        ExpiresUnixTime = JsonToPowerShell.Number(root, "expires");
        IssuedAtUnixTime = JsonToPowerShell.Number(root, "issuedAt");
        Algorithm = JsonToPowerShell.String(root, "algorithm");
        KeyId = JsonToPowerShell.String(root, "keyId");
        Type = JsonToPowerShell.String(root, "type");
        Payload = JsonToPowerShell.String(root, "payloadJson");
        IsExpired = root.TryGetProperty("expired", out JsonElement expired) && expired.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? expired.ValueKind == JsonValueKind.True
            : null;
        TimeLeft = JsonToPowerShell.Number(root, "expiresInSeconds") is double seconds ? Duration(seconds) : null;
    }

    /// <summary>
    /// The JOSE header: of the signed token (for an encrypted token, of the signed token inside
    /// once decrypted; the outer header while it is not).
    /// </summary>
    public OrderedDictionary Header => Copy(header)!;

    public string? Issuer { get; }

    /// <summary>Every <c>aud</c> value (a lone string gives one).</summary>
    public string[] Audiences => (string[])audiences.Clone();

    /// <summary><c>sub</c> when it is a string, else null.</summary>
    public string? Subject { get; }

    /// <summary><c>nbf</c> (UTC), null when absent or outside DateTime's range (see <see cref="NotBeforeUnixTime"/>).</summary>
    public DateTime? NotBefore { get; }

    /// <summary><c>exp</c> (UTC), null when absent or outside DateTime's range (see <see cref="ExpiresUnixTime"/>).</summary>
    public DateTime? Expires { get; }

    /// <summary><c>iat</c> (UTC), null when absent or outside DateTime's range (see <see cref="IssuedAtUnixTime"/>).</summary>
    public DateTime? IssuedAt { get; }

    /// <summary><c>nbf</c> as the token holds it (Unix seconds), whatever its value.</summary>
    public double? NotBeforeUnixTime { get; }

    /// <summary><c>exp</c> as the token holds it (Unix seconds), whatever its value: 1e30 is shown, not thrown.</summary>
    public double? ExpiresUnixTime { get; }

    /// <summary><c>iat</c> as the token holds it (Unix seconds), whatever its value.</summary>
    public double? IssuedAtUnixTime { get; }

    /// <summary>The header's <c>alg</c> (for an encrypted token not decrypted: the key management algorithm).</summary>
    public string? Algorithm { get; }

    /// <summary>The header's <c>kid</c>.</summary>
    public string? KeyId { get; }

    /// <summary>The header's <c>typ</c>.</summary>
    public string? Type { get; }

    /// <summary>The whole payload with JSON types kept; null for an encrypted token that was not decrypted.</summary>
    public OrderedDictionary? Claims => Copy(claims);

    /// <summary>Whether the token is a JWE.</summary>
    public bool IsEncrypted { get; }

    /// <summary>Whether an encrypted token was decrypted (so Claims and Header are the inner token's).</summary>
    public bool IsDecrypted { get; }

    /// <summary>
    /// Whether <c>exp</c> had passed when the token was read (no clock skew: Test-KrJWT still accepts
    /// a token up to its skew after exp); null without <c>exp</c>. Reading, not validating.
    /// </summary>
    public bool? IsExpired { get; }

    /// <summary>Time from reading the token to its <c>exp</c>: negative once expired; null without <c>exp</c>.</summary>
    public TimeSpan? TimeLeft { get; }

    /// <summary>The payload JSON text exactly as the token carries it; null for an encrypted token that was not decrypted.</summary>
    public string? Payload { get; }

    /// <summary>The JWE protected header (alg, enc, kid, cty, ...) of an encrypted token, else null.</summary>
    public OrderedDictionary? OuterHeader => Copy(outerHeader);

    public override string ToString() =>
        IsEncrypted && !IsDecrypted
            ? $"JWE alg={OuterHeader?["alg"]} enc={OuterHeader?["enc"]} kid={OuterHeader?["kid"]}"
            : $"JWT alg={Algorithm} iss={Issuer} sub={Subject} exp={(Expires is DateTime expires ? expires.ToString("u") : ExpiresUnixTime?.ToString("R", System.Globalization.CultureInfo.InvariantCulture))}";

    /// <summary>Shapes the library's inspection JSON.</summary>
    internal static JwtInfo FromJson(string json)
    {
        using JsonDocument document = JsonToPowerShell.Parse(json);
        return new JwtInfo(document.RootElement);
    }

    /// <summary>Seconds as a TimeSpan, held at TimeSpan's limits for times beyond them (exp = 1e300).</summary>
    private static TimeSpan Duration(double seconds) =>
        seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue
        : seconds <= TimeSpan.MinValue.TotalSeconds ? TimeSpan.MinValue
        : TimeSpan.FromSeconds(seconds);

    private static OrderedDictionary? Copy(OrderedDictionary? source)
    {
        if (source is null)
        {
            return null;
        }

        var copy = new OrderedDictionary(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in source)
        {
            copy[entry.Key] = entry.Value;
        }

        return copy;
    }
}
