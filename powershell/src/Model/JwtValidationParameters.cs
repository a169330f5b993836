using KrJwt.Remote;

namespace KrJwt;

/// <summary>
/// Validation parameters: an immutable handle on the library's validator (a snapshot taken
/// when it was created), or for a provider's key set (-Authority, -JwksUri) the validator of the
/// key set fetched last, replaced atomically as the set is fetched again. Properties come from
/// <c>kr_validator_describe</c> and never include key material.
/// </summary>
public sealed class JwtValidationParameters : IDisposable
{
    private readonly KrValidatorHandle? handle;
    private readonly RemoteKeySet? remote;
    private Described? described;

    internal JwtValidationParameters(KrValidatorHandle handle)
    {
        this.handle = handle;
    }

    internal JwtValidationParameters(RemoteKeySet remote)
    {
        this.remote = remote;
    }

    /// <summary>The validator in use now.</summary>
    internal KrValidatorHandle Handle => remote?.Current.Handle ?? handle!;

    /// <summary>
    /// Checks a token (the fast path). For a provider's key set this may fetch the set again
    /// (past its max age, or for a key id it lacks); <paramref name="verbose"/> hears of each fetch.
    /// </summary>
    internal KrReason Check(Utf8Token token, Action<string>? verbose = null) =>
        remote is null ? CheckWith(handle!, token) : CheckRemote(remote, token, verbose);

    /// <summary>Validates a token into a report; fetches as <see cref="Check"/> does.</summary>
    internal JwtValidationReport Validate(Utf8Token token, Action<string>? verbose = null) =>
        remote is null ? ValidateWith(handle!, token) : ValidateRemote(remote, token, verbose);

    // The closures live in methods of their own: the fixed-validator path (Test-KrJWT's hot path) allocates none.
    private static KrReason CheckRemote(RemoteKeySet keySet, Utf8Token token, Action<string>? verbose) =>
        keySet.Validate(validator => CheckWith(validator, token), reason => reason, verbose);

    private static JwtValidationReport ValidateRemote(RemoteKeySet keySet, Utf8Token token, Action<string>? verbose) =>
        keySet.Validate(validator => ValidateWith(validator, token), report => report.Reason, verbose);

    private static KrReason CheckWith(KrValidatorHandle validator, Utf8Token token)
    {
        KrNative.Check(NativeMethods.kr_validator_check(validator, token.Bytes, token.Length, out KrReason reason));
        return reason;
    }

    private static JwtValidationReport ValidateWith(KrValidatorHandle validator, Utf8Token token) => JwtValidationReport.FromJson(
        KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_validate(validator, token.Bytes, token.Length, out p)));

    /// <summary>The provider whose discovery document named the key set (-Authority), else null.</summary>
    public string? Authority => remote?.Authority;

    /// <summary>Where the key set is fetched from (-Authority, -JwksUri), else null.</summary>
    public string? JwksUri => remote?.JwksUri.AbsoluteUri;

    /// <summary>When the key set in use was fetched (UTC), for a provider's key set.</summary>
    public DateTime? KeySetFetchedAt => remote?.Current.FetchedAt;

    /// <summary>When the key set is due to be fetched again (UTC), for a provider's key set.</summary>
    public DateTime? KeySetRefreshAt => remote?.Current.RefreshAt;

    /// <summary>Why the last fetch of the key set failed (null when it succeeded); cached keys keep working meanwhile.</summary>
    public string? KeySetError => remote?.Current.Unavailable;

    /// <summary>The least time between two fetches for tokens naming unknown keys (provider key sets).</summary>
    public TimeSpan? JwksCooldown => remote?.Timing.Cooldown;

    /// <summary>How long a fetched key set is used before it is fetched again (provider key sets).</summary>
    public TimeSpan? JwksMaxAge => remote?.Timing.MaxAge;

    /// <summary>Accepted issuers (empty: the issuer is not checked).</summary>
    public string[] Issuers => (string[])Current.Issuers.Clone();

    /// <summary>Accepted audiences (empty: the audience is not checked).</summary>
    public string[] Audiences => (string[])Current.Audiences.Clone();

    /// <summary>The algorithms accepted, pinned to the keys.</summary>
    public string[] Algorithms => (string[])Current.Algorithms.Clone();

    public TimeSpan ClockSkew => Current.ClockSkew;

    public bool ValidateLifetime => Current.ValidateLifetime;

    public bool RequireExpiration => Current.RequireExpiration;

    public bool ValidateIssuer => Current.ValidateIssuer;

    public bool ValidateAudience => Current.ValidateAudience;

    /// <summary>Whether unsigned tokens are refused (always, for parameters made by this module).</summary>
    public bool RequireSignedTokens => Current.RequireSignedTokens;

    /// <summary>Whether tokens must be encrypted (a plain JWS is refused: -RequireEncryption).</summary>
    public bool RequireEncryption => Current.RequireEncryption;

    /// <summary>The most PBES2 iterations (p2c) an encrypted token may demand (-MaxPbes2Count; default 10,000).</summary>
    public int MaxPbes2Count => Current.MaxPbes2Count;

    /// <summary>The key ids of the configured keys (keys without a <c>kid</c> are left out).</summary>
    public string[] KeyIds => (string[])Current.KeyIds.Clone();

    /// <summary>The configured keys: kid, kty and algorithm of each (no key material).</summary>
    public OrderedDictionary[] Keys => Current.Keys();

    public void Dispose()
    {
        if (remote is null)
        {
            handle!.Dispose();
        }
        else
        {
            remote.Dispose();
        }
    }

    // Cached per validator: PowerShell's binder calls ToString() on every bound argument.
    public override string ToString() => Describe().Text;

    /// <summary>Which checks are on, one sentence each (Get-KrJWTValidationParameter -Verbose).</summary>
    internal string[] Checks()
    {
        Description d = Current;
        string Quoted(string[] values) => string.Join(", ", Array.ConvertAll(values, v => $"'{v}'"));
        var keys = new System.Collections.Generic.List<string>();
        foreach (OrderedDictionary key in d.Keys())
        {
            keys.Add($"kid '{key["kid"]}' ({key["kty"]}, {key["algorithm"]})");
        }

        return new[]
        {
            $"Signature: required, verified with {keys.Count} key(s): {string.Join("; ", keys)}.",
            $"Algorithms accepted: {string.Join(", ", d.Algorithms)} (the keys' own; alg none never).",
            d.ValidateIssuer ? $"Issuer (iss): checked, one of {Quoted(d.Issuers)}." : "Issuer (iss): not checked.",
            d.ValidateAudience ? $"Audience (aud): checked, one of {Quoted(d.Audiences)}." : "Audience (aud): not checked.",
            d.ValidateLifetime
                ? $"Lifetime (exp, nbf): checked with a clock skew of {d.ClockSkew}; exp is {(d.RequireExpiration ? "required" : "optional")}."
                : "Lifetime (exp, nbf): not checked.",
            d.DecryptionKeyCount > 0
                ? $"Encrypted tokens (JWE): decrypted with {d.DecryptionKeyCount} key(s)."
                : "Encrypted tokens (JWE): refused (no decryption key).",
        };
    }

    private Description Current => Describe().Description;

    /// <summary>The description of the validator in use (made once per validator).</summary>
    private Described Describe()
    {
        Described? known = described;
        if (remote is null)
        {
            return known ?? (described = new Described(handle!, DescribeJson(handle!), null));
        }

        KeySetSnapshot snapshot = remote.Current;
        if (known is null || !ReferenceEquals(known.Handle, snapshot.Handle))
        {
            string json = remote.Call(DescribeJson, ref snapshot);
            known = new Described(snapshot.Handle, json, remote.JwksUri.AbsoluteUri);
            described = known;
        }

        return known;
    }

    private static string DescribeJson(KrValidatorHandle validator) =>
        KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_describe(validator, out p));

    /// <summary>A validator with its description and summary text.</summary>
    private sealed class Described
    {
        internal Described(KrValidatorHandle handle, string json, string? jwksUri)
        {
            Handle = handle;
            Description = new Description(json);
            Text = $"JwtValidationParameters iss=[{string.Join(",", Description.Issuers)}] aud=[{string.Join(",", Description.Audiences)}] " +
                $"alg=[{string.Join(",", Description.Algorithms)}] skew={Description.ClockSkew}" + (jwksUri is null ? string.Empty : $" jwks={jwksUri}");
        }

        internal KrValidatorHandle Handle { get; }

        internal Description Description { get; }

        internal string Text { get; }
    }

    private sealed class Description
    {
        private readonly string keysJson;

        internal Description(string json)
        {
            using JsonDocument document = JsonToPowerShell.Parse(json);
            JsonElement root = document.RootElement;
            Issuers = JsonToPowerShell.Strings(root, "issuers");
            Audiences = JsonToPowerShell.Strings(root, "audiences");
            Algorithms = JsonToPowerShell.Strings(root, "algorithms");
            ClockSkew = TimeSpan.FromSeconds(JsonToPowerShell.Number(root, "clockSkewSeconds") ?? 0);
            ValidateLifetime = JsonToPowerShell.Bool(root, "validateLifetime", fallback: true);
            RequireExpiration = JsonToPowerShell.Bool(root, "requireExpiration", fallback: true);
            ValidateIssuer = JsonToPowerShell.Bool(root, "validateIssuer", fallback: Issuers.Length > 0);
            ValidateAudience = JsonToPowerShell.Bool(root, "validateAudience", fallback: Audiences.Length > 0);
            RequireSignedTokens = JsonToPowerShell.Bool(root, "requireSignedTokens", fallback: true);
            RequireEncryption = JsonToPowerShell.Bool(root, "requireEncryption");
            MaxPbes2Count = (int)(JsonToPowerShell.Number(root, "maxPbes2Count") ?? 0);
            var kids = new System.Collections.Generic.List<string>();
            if (root.TryGetProperty("keys", out JsonElement keys) && keys.ValueKind == JsonValueKind.Array)
            {
                keysJson = keys.GetRawText();
                foreach (JsonElement key in keys.EnumerateArray())
                {
                    if (JsonToPowerShell.String(key, "kid") is string kid)
                    {
                        kids.Add(kid);
                    }
                }
            }
            else
            {
                keysJson = "[]";
            }

            KeyIds = kids.ToArray();
            DecryptionKeyCount = root.TryGetProperty("decryptionKeys", out JsonElement decryption) && decryption.ValueKind == JsonValueKind.Array
                ? decryption.GetArrayLength()
                : 0;
        }

        internal string[] Issuers { get; }
        internal string[] Audiences { get; }
        internal string[] Algorithms { get; }
        internal TimeSpan ClockSkew { get; }
        internal bool ValidateLifetime { get; }
        internal bool RequireExpiration { get; }
        internal bool ValidateIssuer { get; }
        internal bool ValidateAudience { get; }
        internal bool RequireSignedTokens { get; }
        internal bool RequireEncryption { get; }
        internal int MaxPbes2Count { get; }
        internal string[] KeyIds { get; }
        internal int DecryptionKeyCount { get; }

        // Rebuilt on each read so callers cannot alter the shared snapshot.
        internal OrderedDictionary[] Keys()
        {
            using JsonDocument document = JsonToPowerShell.Parse(keysJson);
            var result = new System.Collections.Generic.List<OrderedDictionary>();
            foreach (JsonElement key in document.RootElement.EnumerateArray())
            {
                result.Add(JsonToPowerShell.ToDictionary(key));
            }

            return result.ToArray();
        }
    }
}
