namespace KrJwt.Commands;

/// <summary>
/// Test-KrJWT: validates a token against a build result (as the reference) or validation
/// parameters (as the guide). Returns $true/$false, or with -Detailed a report with a stable
/// Reason. A bad token never throws: it is reported. Tokens also come from the pipeline: strings,
/// or objects with a Token, access_token or AccessToken property (build results, an OAuth token
/// response from Invoke-RestMethod), one answer per token. -Verbose tells which key verified the
/// token, why it was refused, and whether the clock skew decided it.
/// <para>
/// <c>-FromContext [-Scheme] [-Policy]</c> (set <c>Context</c>) validates the bearer token of the
/// current request (<c>$Context.Request.Headers['Authorization']</c>) with a scheme registered by
/// Add-KrJWTBearerAuthentication (default: the only one, else <c>JwtBearer</c>) and, with
/// <c>-Policy</c>, checks one of the scheme's claim policies. It returns $true only when a token is
/// present, valid and satisfies the policy; with -Detailed a <see cref="JwtBearerReport"/>
/// (IsValid, Reason, PolicySatisfied, StatusCode 200/401/403, Challenge, Claims). A missing
/// token is not an error: it is $false (StatusCode 401, HasToken $false).
/// </para>
/// </summary>
/// <remarks>
/// Validation parameters may come from any source: a build result, Get-KrJWTValidationParameter
/// with public keys, a JWK Set or decryption keys. The Reason values of -Detailed
/// (<see cref="KrReason"/>, docs/c-abi.md): Valid (every check passed); Malformed (not a compact
/// JWS/JWE, bad base64url, header or payload not a JSON object); AlgorithmNotAllowed (alg none, or
/// not the algorithm pinned by the key); InvalidSignature; Expired (exp + clock skew in the past);
/// NotYetValid (nbf - clock skew in the future); MissingExpiration (no exp while one is required);
/// InvalidIssuer (iss missing or not accepted); InvalidAudience (aud missing or none accepted);
/// UnsupportedCritical (crit names a header the library does not understand); DecryptionFailed (an
/// encrypted token could not be decrypted, or no decryption key was given); KeyNotFound (no
/// configured key matches the token's kid); TooLarge (token above the size limit); InvalidClaim (a
/// registered claim has the wrong JSON type, e.g. exp as a string); KeySetUnavailable (no key of a
/// provider's key set matches the token's kid, and the set could not be fetched again).
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "KrJWT", DefaultParameterSetName = ResultSet)]
[OutputType(typeof(bool), typeof(JwtValidationReport), typeof(JwtBearerReport))]
public sealed class TestKrJwtCommand : KrJwtCmdlet
{
    private const string ResultSet = "Result";
    private const string ValidationParameterSet = "ValidationParameter";
    private const string ContextSet = "Context";

    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ResultSet)]
    [BuiltTokenArgument]
    public JwtBuilderResult Result { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ValidationParameterSet)]
    [BuiltTokenArgument]
    public JwtValidationParameters ValidationParameter { get; set; } = null!;

    /// <summary>
    /// The token to check, also from the pipeline (by value, or by property name: Token,
    /// access_token, AccessToken). Empty or null is accepted and reported as Malformed.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResultSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ValidationParameterSet)]
    [Alias("access_token", "AccessToken")]
    [BuiltTokenArgument]
    [AllowEmptyString]
    [AllowNull]
    public string? Token { get; set; }

    /// <summary>Tolerance for exp/nbf checks (Result set; validation parameters carry their own).</summary>
    [Parameter(Position = 2, ParameterSetName = ResultSet)]
    public TimeSpan ClockSkew { get; set; } = KrLibrary.DefaultClockSkew;

    /// <summary>Validate the bearer token of the current request ($Context) with a registered scheme.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContextSet)]
    public SwitchParameter FromContext { get; set; }

    /// <summary>The registered bearer scheme to use (default: the only one, else JwtBearer).</summary>
    [Parameter(ParameterSetName = ContextSet)]
    [Alias("AuthenticationScheme")]
    [ArgumentCompleter(typeof(KrBearerSchemeCompleter))]
    public string? Scheme { get; set; }

    /// <summary>A claim policy of the scheme the token must satisfy (403 when it does not).</summary>
    [Parameter(ParameterSetName = ContextSet)]
    [ArgumentCompleter(typeof(KrClaimPolicyCompleter))]
    public string? Policy { get; set; }

    /// <summary>Return a <see cref="JwtValidationReport"/> (<see cref="JwtBearerReport"/> with -FromContext) instead of a bool.</summary>
    [Parameter]
    [Alias("PassThru")]
    public SwitchParameter Detailed { get; set; }

    protected override object? ErrorTarget => ParameterSetName switch
    {
        ResultSet => ErrorTargets.Token(Result),
        ContextSet => Scheme,
        _ => ValidationParameter,
    };

    protected override void ProcessItem()
    {
        if (ParameterSetName == ContextSet)
        {
            TestContext();
            return;
        }

        // Repeated calls against one result reuse its validator (built once per clock skew).
        JwtValidationParameters parameters = ParameterSetName == ResultSet
            ? Result.CachedValidationParameters(ClockSkew)
            : ValidationParameter;
        Utf8Token token = Utf8Token.Of(Token);

        // Parameters of a provider's key set may fetch it again; -Verbose shows each fetch.
        if (Detailed.IsPresent || VerboseEnabled)
        {
            JwtValidationReport report = parameters.Validate(token, WriteVerbose);
            WriteVerboseReport(report, parameters);
            WriteObject(Detailed.IsPresent ? report : (object)report.IsValid);
            return;
        }

        WriteObject(parameters.Check(token, WriteVerbose) == KrReason.Valid);
    }

    /// <summary>Which key verified the token, the verdict, and what the clock skew had to do with it.</summary>
    private void WriteVerboseReport(JwtValidationReport report, JwtValidationParameters parameters)
    {
        if (!VerboseEnabled)
        {
            return;
        }

        WriteVerbose(report.Key is OrderedDictionary key
            ? $"Key: the {key["kty"]} key with kid '{key["kid"]}' ({key["algorithm"]}) verified the signature."
            : $"Key: no configured key verified the token (accepted: {string.Join(", ", parameters.Algorithms)}).");
        WriteVerbose(report.IsValid ? $"Verdict: {report.Message}" : $"Verdict: refused ({report.Reason}): {report.Message}");
        string skew = $"the clock skew of {parameters.ClockSkew}";
        WriteVerbose(report switch
        {
            { WithinClockSkew: true } => $"Clock skew: {skew} decided it; without it the token would be refused.",
            { Reason: KrReason.Expired or KrReason.NotYetValid } => $"Clock skew: {skew} was not enough to accept it.",
            { IsValid: true } => $"Clock skew: not needed ({skew} is allowed).",
            _ => $"Clock skew: did not decide it (the token was refused for another reason).",
        });
    }

    private void TestContext()
    {
        JwtBearerScheme scheme = Lookup(() => JwtBearerSchemes.Resolve(Scheme), "KrJwt.SchemeNotFound", Scheme);
        JwtClaimPolicy? policy = string.IsNullOrEmpty(Policy)
            ? null
            : Lookup(() => scheme.Policy(Policy!), "KrJwt.PolicyNotFound", Policy);

        BearerToken.Lookup bearer = BearerToken.FromSessionState(SessionState);
        if (!Detailed.IsPresent && policy is null && !VerboseEnabled)
        {
            // The allocation-free path: no claims needed.
            WriteObject(bearer.Token is not null && scheme.Check(bearer.Token, WriteVerbose));
            return;
        }

        JwtBearerReport report = scheme.Evaluate(bearer.Token, bearer.Problem, policy, WriteVerbose);
        if (report.Validation is JwtValidationReport validation)
        {
            WriteVerboseReport(validation, scheme.ValidationParameters);
        }
        else
        {
            WriteVerbose($"No bearer token: {report.Message}");
        }

        if (report.PolicySatisfied == false && report.Reason == KrReason.Valid)
        {
            WriteVerbose($"Policy: {report.Message}");
        }

        WriteObject(Detailed.IsPresent ? report : (object)report.IsValid);
    }

    /// <summary>A registered scheme or policy; an unknown name is a terminating error.</summary>
    private T Lookup<T>(Func<T> find, string errorId, object? target)
    {
        try
        {
            return find();
        }
        catch (ItemNotFoundException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, errorId, ErrorCategory.ObjectNotFound, target));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }
}
