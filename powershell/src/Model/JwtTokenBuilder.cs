using System.Text;

namespace KrJwt;

/// <summary>
/// A token builder: a mutable handle on the library's builder. The cmdlets mutate it and pass
/// it on; every property is read from the library (<c>kr_builder_describe</c>) when asked, so
/// it always shows the current state and never key material.
/// </summary>
public sealed class JwtTokenBuilder : IDisposable
{
    internal JwtTokenBuilder(KrBuilderHandle handle)
    {
        Handle = handle;
    }

    internal KrBuilderHandle Handle { get; }

    /// <summary>The issuer (<c>iss</c>), or null.</summary>
    public string? Issuer => Read(d => JsonToPowerShell.String(d, "issuer"));

    /// <summary>The distinct audiences (<c>aud</c>), in the order they were added.</summary>
    public string[] Audiences => Read(d => JsonToPowerShell.Strings(d, "audiences"));

    /// <summary>The subject (<c>sub</c>), or null.</summary>
    public string? Subject => Read(d => JsonToPowerShell.String(d, "subject"));

    /// <summary>The claims added so far, in order.</summary>
    public JwtBuilderClaim[] Claims => Read(ReadClaims);

    /// <summary>The custom JOSE header members.</summary>
    public OrderedDictionary Headers => Read(d => JsonToPowerShell.DictionaryOrNull(d, "headers") ?? new OrderedDictionary(StringComparer.Ordinal));

    /// <summary>How long built tokens are valid (from the start of validity).</summary>
    public TimeSpan Lifetime => Read(d => TimeSpan.FromSeconds(JsonToPowerShell.Number(d, "lifetimeSeconds") ?? 0));

    /// <summary>The absolute not-before time (UTC) set with -UtcBefore, or null.</summary>
    public DateTime? NotBefore => Read(d => JsonToPowerShell.UnixTime(d, "notBefore"));

    /// <summary>The not-before delay relative to build time (-Seconds/-Minutes), or null.</summary>
    public TimeSpan? NotBeforeOffset => Read(d =>
        JsonToPowerShell.Number(d, "notBeforeOffsetSeconds") is double s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null);

    /// <summary>The JWS algorithm that signing will use, or null before Protect-KrJWT.</summary>
    public string? Algorithm => Read(d => JsonToPowerShell.String(d, "algorithm"));

    /// <summary>The key id of the signing key, if it has one.</summary>
    public string? KeyId => Read(d => JsonToPowerShell.String(d, "keyId"));

    /// <summary>Whether a signing key is attached (Build-KrJWT needs one).</summary>
    public bool IsSigned => Read(d => JsonToPowerShell.Bool(d, "signed"));

    /// <summary>The library's description of the builder as JSON (no key material).</summary>
    public string Describe() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_builder_describe(Handle, out p));

    public void Dispose() => Handle.Dispose();

    // ToString is cached per mutation: PowerShell's parameter binder calls ToString() on every
    // PSObject-wrapped argument it converts (a trace message built even when tracing is off), so
    // `Build-KrJWT -Builder $b` would otherwise pay kr_builder_describe + JSON parsing per call.
    private int version;
    private Tuple<int, string>? summary;

    /// <summary>Called after every mutation (BuilderMutationCmdlet) so ToString reads the new state.</summary>
    internal void Changed() => System.Threading.Interlocked.Increment(ref version);

    /// <summary>A summary without secrets (the builder never exposes key material anyway).</summary>
    public override string ToString()
    {
        if (Handle.IsClosed)
        {
            return "JwtTokenBuilder (disposed)";
        }

        int current = System.Threading.Volatile.Read(ref version);
        Tuple<int, string>? cached = summary;
        if (cached is not null && cached.Item1 == current)
        {
            return cached.Item2;
        }

        string summaryText = Read(d =>
        {
            var text = new StringBuilder("JwtTokenBuilder");
            text.Append(" iss=").Append(JsonToPowerShell.String(d, "issuer") ?? "-");
            text.Append(" aud=[").Append(string.Join(",", JsonToPowerShell.Strings(d, "audiences"))).Append(']');
            text.Append(" alg=").Append(JsonToPowerShell.String(d, "algorithm") ?? (JsonToPowerShell.Bool(d, "signed") ? "?" : "unsigned"));
            return text.ToString();
        });
        summary = Tuple.Create(current, summaryText);
        return summaryText;
    }

    private T Read<T>(Func<JsonElement, T> select)
    {
        using JsonDocument document = JsonToPowerShell.Parse(Describe());
        return select(document.RootElement);
    }

    private static JwtBuilderClaim[] ReadClaims(JsonElement description)
    {
        if (!description.TryGetProperty("claims", out JsonElement claims) || claims.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<JwtBuilderClaim>();
        }

        var result = new JwtBuilderClaim[claims.GetArrayLength()];
        int i = 0;
        foreach (JsonElement claim in claims.EnumerateArray())
        {
            object? value = claim.TryGetProperty("value", out JsonElement v) ? JsonToPowerShell.Convert(v) : null;
            result[i++] = new JwtBuilderClaim(JsonToPowerShell.String(claim, "type") ?? string.Empty, value);
        }

        return result;
    }
}

/// <summary>One claim held by a builder.</summary>
public sealed class JwtBuilderClaim
{
    public JwtBuilderClaim(string type, object? value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The claim type as the library records it.</summary>
    public string Type { get; }

    /// <summary>The value with its JSON type.</summary>
    public object? Value { get; }

    public override string ToString() => $"{Type}={Value}";
}
