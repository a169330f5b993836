using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Text;

namespace KrJwt;

/// <summary>
/// A named bearer scheme registered with Add-KrJWTBearerAuthentication: the validation parameters
/// (an immutable library validator) and the claim policies routes may ask for. Immutable, so one
/// scheme is safely shared by every runspace of a server.
/// </summary>
public sealed class JwtBearerScheme
{
    internal JwtBearerScheme(
        string name,
        string displayName,
        string? description,
        JwtValidationParameters validationParameters,
        IEnumerable<JwtClaimPolicy> claimPolicies)
    {
        Name = name;
        DisplayName = displayName;
        Description = description;
        ValidationParameters = validationParameters;
        var policies = new Dictionary<string, JwtClaimPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (JwtClaimPolicy policy in claimPolicies)
        {
            policies[policy.Name] = policy;
        }

        ClaimPolicies = new ReadOnlyDictionary<string, JwtClaimPolicy>(policies);
        RegisteredAt = DateTime.UtcNow;
    }

    /// <summary>The scheme name (case-insensitive), e.g. <c>JwtBearer</c>.</summary>
    public string Name { get; }

    public string DisplayName { get; }

    public string? Description { get; }

    /// <summary>What a bearer token must satisfy (signature, issuer, audience, lifetime).</summary>
    public JwtValidationParameters ValidationParameters { get; }

    /// <summary>Claim policies by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, JwtClaimPolicy> ClaimPolicies { get; }

    /// <summary>When the scheme was registered (UTC).</summary>
    public DateTime RegisteredAt { get; }

    public override string ToString() =>
        $"JwtBearerScheme {Name} ({ValidationParameters}; policies: {string.Join(",", ClaimPolicies.Keys)})";

    /// <summary>The named policy, or a terminating-error exception naming the defined ones.</summary>
    internal JwtClaimPolicy Policy(string name)
    {
        if (ClaimPolicies.TryGetValue(name, out JwtClaimPolicy? policy))
        {
            return policy;
        }

        string known = ClaimPolicies.Count == 0 ? "it defines none" : "it defines: " + string.Join(", ", ClaimPolicies.Keys);
        throw new ItemNotFoundException(
            $"The bearer scheme '{Name}' has no claim policy named '{name}' ({known}). Add it with Add-KrJWTBearerAuthentication -ClaimPolicy.");
    }

    /// <summary>
    /// Validates a request's bearer token (null: the request had none) and, when asked, checks a
    /// claim policy against the validated claims.
    /// </summary>
    internal JwtBearerReport Evaluate(string? token, string? noTokenMessage, JwtClaimPolicy? policy, Action<string>? verbose = null)
    {
        if (token is null)
        {
            return JwtBearerReport.NoToken(this, noTokenMessage ?? "The request has no bearer token.", policy);
        }

        return JwtBearerReport.From(this, ValidationParameters.Validate(Utf8Token.Of(token), verbose), policy);
    }

    /// <summary>The fast path when no claims are needed: is the token valid?</summary>
    internal bool Check(string token, Action<string>? verbose = null) => ValidationParameters.Check(Utf8Token.Of(token), verbose) == KrReason.Valid;
}

/// <summary>
/// A claim policy: the validated token must carry <see cref="ClaimType"/>, with one of
/// <see cref="AllowedValues"/> when any are given (compared ordinally; a JSON array claim
/// satisfies the policy when one of its items matches; JSON true/false/numbers compare as their
/// JSON text, so <c>'true'</c> matches both <c>"true"</c> and <c>true</c>). The OAuth scope
/// claims <c>scope</c> and <c>scp</c> are space-separated lists (RFC 8693 §4.2, RFC 6749 §3.3):
/// <c>"read write"</c> satisfies a policy that requires <c>write</c>.
/// </summary>
public sealed class JwtClaimPolicy
{
    public JwtClaimPolicy(string name, string claimType, string[]? allowedValues)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A claim policy needs a name.", nameof(name));
        }

        if (string.IsNullOrWhiteSpace(claimType))
        {
            throw new ArgumentException($"The claim policy '{name}' needs a claim type (Claim = 'can_read').", nameof(claimType));
        }

        Name = name;
        ClaimType = claimType;
        AllowedValues = allowedValues?.Where(v => v is not null).ToArray() ?? Array.Empty<string>();
    }

    public string Name { get; }

    /// <summary>The claim name as it appears in the token's payload (e.g. <c>can_read</c>, <c>role</c>).</summary>
    public string ClaimType { get; }

    /// <summary>Accepted values; empty means the claim only has to be present.</summary>
    public string[] AllowedValues { get; }

    public override string ToString() =>
        AllowedValues.Length == 0 ? $"{Name}: {ClaimType} present" : $"{Name}: {ClaimType} in ({string.Join(", ", AllowedValues)})";

    /// <summary>Whether validated claims satisfy the policy.</summary>
    public bool IsSatisfiedBy(IDictionary? claims)
    {
        if (claims is null || !claims.Contains(ClaimType))
        {
            return false;
        }

        object? value = claims[ClaimType];
        if (value is null)
        {
            return false;
        }

        if (AllowedValues.Length == 0)
        {
            return true;
        }

        IEnumerable<object?> candidates = value is object?[] array ? array : new[] { value };
        foreach (object? candidate in candidates)
        {
            string? text = candidate switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null && Items(text).Any(item => AllowedValues.Contains(item, StringComparer.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The claims whose string values are space-separated lists of scopes.</summary>
    private static readonly string[] ScopeClaims = { "scope", "scp" };

    /// <summary>A claim value's items: each scope of a scope list, else the value itself.</summary>
    private IEnumerable<string> Items(string value) =>
        ScopeClaims.Contains(ClaimType, StringComparer.Ordinal)
            ? value.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries)
            : new[] { value };

    /// <summary>
    /// Claim policies from a hashtable: policy name → <c>@{ Claim = 'can_read'; Values = @('true') }</c>
    /// (also <c>ClaimType</c>/<c>AllowedValues</c>, or just the claim name as a string), or from an
    /// object with a <c>Policies</c> dictionary of such rules (Kestrun's ClaimPolicyConfig shape).
    /// </summary>
    internal static List<JwtClaimPolicy> Parse(object? source)
    {
        var result = new List<JwtClaimPolicy>();
        if (source is PSObject ps)
        {
            source = ps.BaseObject is PSCustomObject ? ps : ps.BaseObject;
        }

        if (source is null)
        {
            return result;
        }

        IDictionary? dictionary = source as IDictionary ?? AsDictionary(PSValues.Member(source, "Policies"));
        if (dictionary is null)
        {
            throw new ArgumentException(
                "-ClaimPolicy takes a hashtable of policy name to rule, e.g. @{ CanRead = @{ Claim = 'can_read'; Values = @('true') } }.");
        }

        foreach (DictionaryEntry entry in dictionary)
        {
            string name = entry.Key?.ToString() ?? string.Empty;
            object? rule = entry.Value is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : entry.Value;
            if (rule is string claim)
            {
                result.Add(new JwtClaimPolicy(name, claim, null));
                continue;
            }

            if (rule is null)
            {
                throw new ArgumentException($"The claim policy '{name}' has no rule: use @{{ Claim = 'can_read'; Values = @('true') }}.");
            }

            string? claimType = AsText(PSValues.Member(rule, "Claim") ?? PSValues.Member(rule, "ClaimType"));
            object? values = PSValues.Member(rule, "Values") ?? PSValues.Member(rule, "AllowedValues") ?? PSValues.Member(rule, "Value");
            result.Add(new JwtClaimPolicy(name, claimType ?? string.Empty, AsTexts(values)));
        }

        return result;
    }

    private static IDictionary? AsDictionary(object? value) => PSValues.Unwrap(value) as IDictionary;

    private static string? AsText(object? value) => PSValues.Unwrap(value)?.ToString();

    private static string[]? AsTexts(object? values)
    {
        object? value = PSValues.Unwrap(values);
        switch (value)
        {
            case null:
                return null;
            case string s:
                return new[] { s };
            case bool b:
                return new[] { b ? "true" : "false" };
            case IEnumerable items:
                var list = new List<string>();
                foreach (object? item in items)
                {
                    string[]? texts = AsTexts(item);
                    if (texts is not null)
                    {
                        list.AddRange(texts);
                    }
                }

                return list.ToArray();
            default:
                return new[] { Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty };
        }
    }
}

/// <summary>
/// What <c>Test-KrJWT -FromContext -Detailed</c> returns: the library's verdict on the request's
/// bearer token, the claim policy outcome, and the HTTP answer that fits (RFC 6750).
/// </summary>
/// <remarks>
/// <see cref="IsValid"/> is true only when the request may proceed: a token is present, the
/// library accepts it, and the requested policy (if any) is satisfied. <see cref="Reason"/> is
/// the library's stable reason for the token itself (null when there was no token), so a token
/// that is valid but fails the policy shows <c>Reason = Valid</c>, <c>PolicySatisfied = $false</c>,
/// <c>IsValid = $false</c> and <c>StatusCode = 403</c>.
/// </remarks>
public sealed class JwtBearerReport
{
    private JwtBearerReport(
        JwtBearerScheme scheme,
        bool hasToken,
        KrReason? reason,
        string message,
        OrderedDictionary? header,
        OrderedDictionary? claims,
        JwtClaimPolicy? policy,
        bool? policySatisfied,
        JwtValidationReport? validation)
    {
        Scheme = scheme.Name;
        Validation = validation;
        WithinClockSkew = validation?.WithinClockSkew ?? false;
        HasToken = hasToken;
        Reason = reason;
        Message = message;
        Header = header;
        Claims = claims;
        Policy = policy?.Name;
        PolicySatisfied = policySatisfied;
        IsValid = hasToken && reason == KrReason.Valid && policySatisfied != false;
        StatusCode = IsValid ? 200 : (hasToken && reason == KrReason.Valid ? 403 : 401);
        Challenge = StatusCode switch
        {
            200 => null,
            403 => $"Bearer realm=\"{Quote(scheme.Name)}\", error=\"insufficient_scope\", error_description=\"{Quote(message)}\"",
            _ when !hasToken => $"Bearer realm=\"{Quote(scheme.Name)}\"",
            _ => $"Bearer realm=\"{Quote(scheme.Name)}\", error=\"invalid_token\", error_description=\"{Quote(reason + ": " + message)}\"",
        };
    }

    /// <summary>The scheme that validated the token.</summary>
    public string Scheme { get; }

    /// <summary>Whether the request carried a bearer token at all.</summary>
    public bool HasToken { get; }

    /// <summary>True when the request may proceed: valid token and (if asked) policy satisfied.</summary>
    public bool IsValid { get; }

    /// <summary>The library's reason for the token (Valid, Expired, InvalidSignature, ...); null without a token.</summary>
    public KrReason? Reason { get; }

    /// <summary>The library's explanation, or why there was no token, or which policy failed.</summary>
    public string Message { get; }

    /// <summary>The checked policy's name, or null when none was asked for.</summary>
    public string? Policy { get; }

    /// <summary>Null when no policy was asked for; false when the token is invalid or lacks the claim.</summary>
    public bool? PolicySatisfied { get; }

    /// <summary>200 (proceed), 401 (no or invalid token) or 403 (valid token, policy not satisfied).</summary>
    public int StatusCode { get; }

    /// <summary>
    /// The <c>WWW-Authenticate</c> value for a 401/403 answer (RFC 6750): <c>Bearer realm="..."</c>
    /// without a token, with <c>error="invalid_token"</c> for a rejected one, <c>insufficient_scope</c>
    /// for a failed policy. Null for 200.
    /// </summary>
    public string? Challenge { get; }

    /// <summary>The token's JOSE header when it could be decoded.</summary>
    public OrderedDictionary? Header { get; }

    /// <summary>The validated claims (null unless the signature verified).</summary>
    public OrderedDictionary? Claims { get; }

    /// <summary>True when the token passed only because of the scheme's clock skew (see Message).</summary>
    public bool WithinClockSkew { get; }

    /// <summary>The library's report on the token (key, skew), null without a token.</summary>
    internal JwtValidationReport? Validation { get; }

    public override string ToString() => IsValid ? $"Valid ({Scheme})" : $"{StatusCode} {Reason?.ToString() ?? "NoToken"}: {Message}";

    internal static JwtBearerReport NoToken(JwtBearerScheme scheme, string message, JwtClaimPolicy? policy) =>
        new JwtBearerReport(scheme, false, null, message, null, null, policy, policy is null ? null : false, null);

    internal static JwtBearerReport From(JwtBearerScheme scheme, JwtValidationReport report, JwtClaimPolicy? policy)
    {
        bool? satisfied = null;
        string message = report.Message;
        if (policy is not null)
        {
            satisfied = report.IsValid && policy.IsSatisfiedBy(report.Claims);
            if (report.IsValid && satisfied == false)
            {
                message = policy.AllowedValues.Length == 0
                    ? $"The claim policy '{policy.Name}' requires the claim '{policy.ClaimType}'."
                    : $"The claim policy '{policy.Name}' requires the claim '{policy.ClaimType}' with one of: {string.Join(", ", policy.AllowedValues)}.";
            }
        }

        return new JwtBearerReport(scheme, true, report.Reason, message, report.Header, report.Claims, policy, satisfied, report);
    }

    /// <summary>An RFC 6750 quoted-string body: printable ASCII without '"' and '\'.</summary>
    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(c switch
            {
                '"' => '\'',
                '\\' => '/',
                _ when c < 0x20 || c > 0x7e => ' ',
                _ => c,
            });
        }

        return builder.ToString();
    }
}

/// <summary>
/// The module's bearer schemes, by name (case-insensitive). One registry per process: every
/// runspace that imports KrJwt (the RunspacePool of a scripted server included) sees the schemes
/// registered by any of them. Thread-safe; registering a name again replaces the scheme.
/// </summary>
public static class JwtBearerSchemes
{
    /// <summary>The default scheme name (the reference's <c>JwtBearerSchemeName</c>).</summary>
    public const string DefaultName = "JwtBearer";

    private static readonly ConcurrentDictionary<string, JwtBearerScheme> Schemes =
        new ConcurrentDictionary<string, JwtBearerScheme>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered scheme names.</summary>
    public static string[] Names => Schemes.Keys.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The named scheme, or null.</summary>
    public static JwtBearerScheme? Get(string name) =>
        Schemes.TryGetValue(name, out JwtBearerScheme? scheme) ? scheme : null;

    /// <summary>Removes a scheme; true when it was registered.</summary>
    public static bool Remove(string name) => Schemes.TryRemove(name, out _);

    /// <summary>Registers (or replaces) a scheme; returns the scheme it replaced, or null.</summary>
    internal static JwtBearerScheme? Register(JwtBearerScheme scheme)
    {
        JwtBearerScheme? replaced = null;
        Schemes.AddOrUpdate(
            scheme.Name,
            scheme,
            (_, old) =>
            {
                replaced = old;
                return scheme;
            });
        return replaced;
    }

    /// <summary>
    /// The scheme to use: the named one; without a name the only registered scheme, else the one
    /// named <see cref="DefaultName"/>. Throws <see cref="ItemNotFoundException"/> otherwise.
    /// </summary>
    internal static JwtBearerScheme Resolve(string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return Get(name!) ?? throw new ItemNotFoundException(
                $"No bearer scheme named '{name}' is registered ({Registered()}). Register it first with Add-KrJWTBearerAuthentication -AuthenticationScheme '{name}'.");
        }

        KeyValuePair<string, JwtBearerScheme>[] all = Schemes.ToArray();
        if (all.Length == 1)
        {
            return all[0].Value;
        }

        return Get(DefaultName) ?? throw new ItemNotFoundException(all.Length == 0
            ? "No bearer scheme is registered. Register one first with Add-KrJWTBearerAuthentication."
            : $"Several bearer schemes are registered ({Registered()}) and none is named '{DefaultName}': name the one to use with -Scheme.");
    }

    private static string Registered()
    {
        string[] names = Names;
        return names.Length == 0 ? "none is registered" : "registered: " + string.Join(", ", names);
    }
}
