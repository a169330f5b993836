namespace KrJwt.Commands;

/// <summary>
/// Add-KrJWTBearerAuthentication: registers a named bearer scheme in the module (default name
/// <c>JwtBearer</c>; <c>-Name</c> is an alias of <c>-AuthenticationScheme</c>). Scripted servers use
/// it through <c>Test-KrJWT -FromContext [-Scheme] [-Policy]</c> and <c>Update-KrJWT -FromContext</c>.
/// <para>
/// Sets: <c>ValidationParameter</c> (validation parameters from Get-KrJWTValidationParameter, used
/// as they are) and <c>Items</c> (discrete parameters, turned into library validation options and
/// keys by <c>kr_validator_new</c>; every switch is honoured), <c>Authority</c> and <c>JwksUri</c>
/// (an identity provider's key set, fetched now and kept fresh, as with Get-KrJWTValidationParameter
/// -Authority/-JwksUri; tokens must name one of the audiences). Registering a name again replaces
/// the scheme, with a warning. The registry is process-wide and thread-safe.
/// </para>
/// </summary>
[Cmdlet(VerbsCommon.Add, "KrJWTBearerAuthentication", DefaultParameterSetName = ItemsSet)]
[OutputType(typeof(JwtBearerScheme))]
public sealed class AddKrJwtBearerAuthenticationCommand : ProviderKeySetCmdlet, IDynamicParameters
{
    private const string ItemsSet = "Items";
    private const string ValidationParameterSet = "ValidationParameter";

    /// <summary>The issuer's verification keys (at least one key or a JWK Set): any number, of any source.</summary>
    private readonly KeyParameters signingKeys = new KeyParameters(KeyRole.Verification, KeySources.Keys | KeySources.KeySets, ItemsSet, several: true)
        .Alias(KeySources.JwkJson, "SigningKeyJwkJson", "IssuerSigningKeyJwk")
        .Alias(KeySources.Pem, "SigningKeyPem")
        .Alias(KeySources.PemPath, "SigningKeyPemPath")
        .Alias(KeySources.X509Certificate, "SigningKeyCertificate")
        .Alias(KeySources.Base64Url, "SigningKeyBase64Url")
        .Alias(KeySources.HexadecimalKey, "SigningKeyHexadecimal", "SigningKeyHex");

    /// <summary>The scheme name (case-insensitive).</summary>
    [Parameter]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string AuthenticationScheme { get; set; } = JwtBearerSchemes.DefaultName;

    [Parameter]
    [ValidateNotNull]
    public string DisplayName { get; set; } = "JWT Bearer Authentication";

    [Parameter]
    public string? Description { get; set; }

    /// <summary>Validation parameters (Get-KrJWTValidationParameter), used as they are.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ValidationParameterSet)]
    [Alias("ValidationParameters")]
    public JwtValidationParameters ValidationParameter { get; set; } = null!;

    /// <summary>Claim policies: name → @{ Claim = 'can_read'; Values = @('true') } (Values optional).</summary>
    [Parameter]
    public object? ClaimPolicy { get; set; }

    // ---- Items: what tokens must satisfy ---------------------------------------------------

    [Parameter(ParameterSetName = ItemsSet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public string? ValidIssuer { get; set; }

    [Parameter(ParameterSetName = ItemsSet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public string[]? ValidIssuers { get; set; }

    [Parameter(ParameterSetName = ItemsSet)]
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public string? ValidAudience { get; set; }

    [Parameter(ParameterSetName = ItemsSet)]
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public string[]? ValidAudiences { get; set; }

    /// <summary>The JWS algorithms to accept (each key is pinned to those it supports).</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string[]? ValidAlgorithms { get; set; }

    // ---- Items: switches --------------------------------------------------------------------

    /// <summary>Do not check <c>iss</c> (even when issuers are given).</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    public SwitchParameter SkipValidateIssuer { get; set; }

    /// <summary>Do not check <c>aud</c> (even when audiences are given).</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    public SwitchParameter SkipValidateAudience { get; set; }

    /// <summary>Do not check <c>exp</c>/<c>nbf</c>.</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    public SwitchParameter SkipValidateLifetime { get; set; }

    /// <summary>Accept tokens without <c>exp</c> (an <c>exp</c> that is present is still checked).</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    public SwitchParameter DoesNotRequireExpirationTime { get; set; }

    /// <summary>Refused: KrJwt always requires signed tokens (never <c>alg: none</c>).</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    public SwitchParameter DoesNotRequireSignedTokens { get; set; }

    /// <summary>Tolerance for exp/nbf; the library default (1 minute) when not given.</summary>
    [Parameter(ParameterSetName = ItemsSet)]
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public TimeSpan ClockSkew { get; set; }

    /// <summary>Return the registered scheme.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? ErrorTarget => AuthenticationScheme;

    public object GetDynamicParameters() => KeyParameters.Declare(signingKeys);

    protected override void ProcessItem()
    {
        List<JwtClaimPolicy> policies;
        try
        {
            policies = JwtClaimPolicy.Parse(ClaimPolicy);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.InvalidClaimPolicy", ErrorCategory.InvalidArgument, ClaimPolicy));
            return;
        }

        JwtValidationParameters parameters = ParameterSetName switch
        {
            ValidationParameterSet => ValidationParameter,
            _ when FromProvider => FromProviderItems(),
            _ => FromItems(),
        };

        var scheme = new JwtBearerScheme(AuthenticationScheme, DisplayName, Description, parameters, policies);
        if (JwtBearerSchemes.Register(scheme) is JwtBearerScheme replaced)
        {
            WriteWarning($"The bearer scheme '{replaced.Name}' was already registered; it has been replaced.");
        }

        WriteVerbose($"Registered {scheme}.");
        if (PassThru.IsPresent)
        {
            WriteObject(scheme);
        }
    }

    private JwtValidationParameters FromProviderItems()
    {
        bool discover = ParameterSetName == AuthoritySet;
        var options = new ValidatorOptions
        {
            Issuers = discover ? null : Distinct(ValidIssuer, ValidIssuers),
            Audiences = Distinct(ValidAudience, ValidAudiences),
            ClockSkewSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(ClockSkew)) ? ClockSkew.TotalSeconds : (double?)null,
        };
        // A provider issues tokens for many resources: without an audience, this server would accept them all.
        Require(options.Audiences.Count > 0, "ValidAudience", "the audience (aud) the provider's tokens for this server carry");
        Require(discover || options.Issuers!.Count > 0, "ValidIssuer", "the issuer (iss) the provider's tokens carry");
        return ProviderParameters(options);
    }

    private void Require(bool given, string parameter, string what)
    {
        if (!given)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-{ParameterSetName} needs -{parameter}: {what}."),
                "KrJwt.MissingParameter",
                ErrorCategory.InvalidArgument,
                null));
        }
    }

    private JwtValidationParameters FromItems()
    {
        if (DoesNotRequireSignedTokens.IsPresent)
        {
            ThrowTerminatingError(new ErrorRecord(
                new NotSupportedException(
                    "KrJwt never accepts unsigned tokens (alg: none), so -DoesNotRequireSignedTokens cannot be honoured. Remove it; give the issuer's verification key instead."),
                "KrJwt.UnsignedTokensRefused",
                ErrorCategory.InvalidArgument,
                null));
        }

        var options = new ValidatorOptions
        {
            Issuers = Distinct(ValidIssuer, ValidIssuers),
            Audiences = Distinct(ValidAudience, ValidAudiences),
            Algorithms = Distinct(null, ValidAlgorithms),
            ValidateIssuer = !SkipValidateIssuer.IsPresent,
            ValidateAudience = !SkipValidateAudience.IsPresent,
            ValidateLifetime = !SkipValidateLifetime.IsPresent,
            RequireExpiration = !DoesNotRequireExpirationTime.IsPresent,
            ClockSkewSeconds = MyInvocation.BoundParameters.ContainsKey(nameof(ClockSkew)) ? ClockSkew.TotalSeconds : (double?)null,
        };

        // The validator holds its own references to the keys; ours go when it is made.
        using ImportedKeys keys = signingKeys.Import(this);
        options.JwksJson = keys.KeySetJson;
        JwtValidationParameters parameters = ValidatorFactory.Create(options, keys.Keys, Array.Empty<KrKeyHandle>());
        if (!parameters.ValidateIssuer && !SkipValidateIssuer.IsPresent)
        {
            WriteWarning($"The bearer scheme '{AuthenticationScheme}' accepts tokens from any issuer: name the issuers you trust with -ValidIssuer (or say -SkipValidateIssuer).");
        }

        if (!parameters.ValidateAudience && !SkipValidateAudience.IsPresent)
        {
            WriteWarning($"The bearer scheme '{AuthenticationScheme}' accepts tokens meant for any audience: name this service's audience with -ValidAudience (or say -SkipValidateAudience).");
        }

        return parameters;
    }

    /// <summary>The non-empty values of a single and a list parameter, without duplicates, in order.</summary>
    private static List<string> Distinct(string? one, string[]? many)
    {
        var values = new List<string>();
        if (!string.IsNullOrEmpty(one))
        {
            values.Add(one!);
        }

        foreach (string value in many ?? Array.Empty<string>())
        {
            if (!string.IsNullOrEmpty(value) && !values.Contains(value))
            {
                values.Add(value);
            }
        }

        return values;
    }
}
