namespace KrJwt;

/// <summary>
/// The outcome of Build-KrJWT: an immutable handle on the library's build result. Properties
/// come from <c>kr_result_describe</c>, read once on first use.
/// </summary>
/// <remarks>
/// <c>Token</c> is a property, not the reference's <c>Token()</c> method. PowerShell cannot offer
/// both under one name: it resolves a member name once for reading and calling (properties
/// first), PowerShell's adapters hide a method that a property of the same name shadows, and a
/// member that is a method reads as a method object (PSMethodInfo.Value is sealed). Tried and
/// ruled out: a derived-class method hiding the property, an ETS CodeMethod, a PSPropertyAdapter.
/// A property is what PRODUCT.md lists and what formatting, Select-Object and string use need;
/// <c>$result.Token()</c> fails loudly ("does not contain a method named 'Token'") rather than
/// yielding a wrong value. <c>Get-KrJWTToken</c> and <c>"$result"</c> also give the string.
/// </remarks>
public sealed class JwtBuilderResult : IDisposable
{
    private readonly Lazy<Description> description;
    private string? token;

    // Test-KrJWT -Result validates many tokens against one result with one clock skew, so the
    // validators are kept per skew; a handful of distinct skews is plenty.
    private const int MaxCachedValidators = 8;
    private readonly Dictionary<long, JwtValidationParameters> validators = new Dictionary<long, JwtValidationParameters>();

    internal JwtBuilderResult(KrResultHandle handle)
    {
        Handle = handle;
        description = new Lazy<Description>(() => new Description(
            KrNative.GetString((out IntPtr p) => NativeMethods.kr_result_describe(Handle, out p))));
    }

    internal KrResultHandle Handle { get; }

    /// <summary>The compact token (JWS, or JWE when encrypted).</summary>
    public string Token => token ??= KrNative.GetString((out IntPtr p) => NativeMethods.kr_result_get_token(Handle, out p));

    /// <summary>The JWS algorithm (<c>alg</c> of the signed token).</summary>
    public string? Algorithm => description.Value.Algorithm;

    /// <summary>The <c>kid</c> header, if any.</summary>
    public string? KeyId => description.Value.KeyId;

    public string? Issuer => description.Value.Issuer;

    public string[] Audiences => (string[])description.Value.Audiences.Clone();

    /// <summary>
    /// The audience as <c>aud</c> holds it (the seed guide's name): a string for one audience, an
    /// array for several, null for none. <see cref="Audiences"/> is always an array.
    /// </summary>
    public object? Audience => description.Value.Audiences.Length switch
    {
        0 => null,
        1 => description.Value.Audiences[0],
        _ => Audiences,
    };

    public string? Subject => description.Value.Subject;

    /// <summary>The real <c>iat</c> (UTC).</summary>
    public DateTime? IssuedAt => description.Value.IssuedAt;

    /// <summary><c>nbf</c> (UTC): max(build time, requested not-before).</summary>
    public DateTime? NotBefore => description.Value.NotBefore;

    /// <summary><c>exp</c> (UTC).</summary>
    public DateTime? Expires => description.Value.Expires;

    /// <summary>The (inner, signed) JOSE header with JSON types kept.</summary>
    public OrderedDictionary Header => Copy(description.Value.Header);

    /// <summary>The whole payload with JSON types kept (arrays as object[], objects as dictionaries).</summary>
    public OrderedDictionary Claims => Copy(description.Value.Claims);

    /// <summary>The payload exactly as serialised in the token (JSON text).</summary>
    public string? Payload => description.Value.PayloadJson;

    /// <summary>Whether the token is a JWE (nested: the signed JWS inside).</summary>
    public bool IsEncrypted => description.Value.Encrypted;

    /// <summary>The protected header of the JWE (alg, enc, kid, typ, cty) when encrypted, else null.</summary>
    public OrderedDictionary? OuterHeader => description.Value.OuterHeader is OrderedDictionary outer ? Copy(outer) : null;

    public void Dispose()
    {
        Handle.Dispose();
        DisposeCachedValidators();
    }

    /// <summary>The token itself, so that "$result" interpolates to it.</summary>
    public override string ToString() => Handle.IsClosed ? string.Empty : Token;

    /// <summary>Fresh validation parameters for this result (the caller owns them).</summary>
    internal JwtValidationParameters CreateValidationParameters(TimeSpan clockSkew)
    {
        KrNative.Check(NativeMethods.kr_validator_new_for_result(Handle, clockSkew.TotalSeconds, out KrValidatorHandle validator));
        return new JwtValidationParameters(validator);
    }

    /// <summary>Validation parameters shared by repeated Test-KrJWT calls with the same skew.</summary>
    internal JwtValidationParameters CachedValidationParameters(TimeSpan clockSkew)
    {
        lock (validators)
        {
            if (validators.TryGetValue(clockSkew.Ticks, out JwtValidationParameters? cached))
            {
                return cached;
            }

            JwtValidationParameters created = CreateValidationParameters(clockSkew);
            if (validators.Count >= MaxCachedValidators)
            {
                // Rare (many different skews): start over rather than track recency. The
                // dropped validators are released by their finalizers once no call uses them.
                validators.Clear();
            }

            validators[clockSkew.Ticks] = created;
            return created;
        }
    }

    private void DisposeCachedValidators()
    {
        lock (validators)
        {
            foreach (JwtValidationParameters parameters in validators.Values)
            {
                parameters.Dispose();
            }

            validators.Clear();
        }
    }

    private static OrderedDictionary Copy(OrderedDictionary source)
    {
        // Callers get their own copy: the description is shared and must stay as built.
        var copy = new OrderedDictionary(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in source)
        {
            copy[entry.Key] = entry.Value;
        }

        return copy;
    }

    private sealed class Description
    {
        internal Description(string json)
        {
            using JsonDocument document = JsonToPowerShell.Parse(json);
            JsonElement root = document.RootElement;
            Algorithm = JsonToPowerShell.String(root, "algorithm");
            KeyId = JsonToPowerShell.String(root, "keyId");
            Issuer = JsonToPowerShell.String(root, "issuer");
            Audiences = JsonToPowerShell.Strings(root, "audiences");
            Subject = JsonToPowerShell.String(root, "subject");
            IssuedAt = JsonToPowerShell.UnixTime(root, "issuedAt");
            NotBefore = JsonToPowerShell.UnixTime(root, "notBefore");
            Expires = JsonToPowerShell.UnixTime(root, "expires");
            Header = JsonToPowerShell.DictionaryOrNull(root, "header") ?? new OrderedDictionary(StringComparer.Ordinal);
            Claims = JsonToPowerShell.DictionaryOrNull(root, "claims") ?? new OrderedDictionary(StringComparer.Ordinal);
            PayloadJson = JsonToPowerShell.String(root, "payloadJson");
            Encrypted = JsonToPowerShell.Bool(root, "encrypted");
            OuterHeader = JsonToPowerShell.DictionaryOrNull(root, "outerHeader");
        }

        internal string? Algorithm { get; }
        internal string? KeyId { get; }
        internal string? Issuer { get; }
        internal string[] Audiences { get; }
        internal string? Subject { get; }
        internal DateTime? IssuedAt { get; }
        internal DateTime? NotBefore { get; }
        internal DateTime? Expires { get; }
        internal OrderedDictionary Header { get; }
        internal OrderedDictionary Claims { get; }
        internal string? PayloadJson { get; }
        internal bool Encrypted { get; }
        internal OrderedDictionary? OuterHeader { get; }
    }
}
