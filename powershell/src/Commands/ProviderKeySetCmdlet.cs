using KrJwt.Remote;

namespace KrJwt.Commands;

/// <summary>
/// A cmdlet that can take an identity provider's key set: <c>-Authority</c> (OpenID Connect
/// discovery) or <c>-JwksUri</c>, each in the parameter set of its name, with the timing of the
/// fetches that keep the set fresh.
/// </summary>
public abstract class ProviderKeySetCmdlet : KrJwtCmdlet
{
    private protected const string AuthoritySet = "Authority";
    private protected const string JwksUriSet = "JwksUri";

    /// <summary>An OpenID provider's issuer URL: its discovery document names its key set, fetched now and kept fresh.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AuthoritySet)]
    [ValidateNotNullOrEmpty]
    public string Authority { get; set; } = null!;

    /// <summary>The URL of a provider's JWK Set, fetched now and kept fresh (with the issuer and audience).</summary>
    [Parameter(Mandatory = true, ParameterSetName = JwksUriSet)]
    [ValidateNotNullOrEmpty]
    public string JwksUri { get; set; } = null!;

    /// <summary>The least time between two fetches of the key set for tokens naming a key it lacks (default 30 s).</summary>
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public TimeSpan JwksCooldown { get; set; } = KeySetTiming.DefaultCooldown;

    /// <summary>How long a fetched key set is used before it is fetched again (default 10 minutes).</summary>
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public TimeSpan JwksMaxAge { get; set; } = KeySetTiming.DefaultMaxAge;

    /// <summary>The time limit of each fetch (default 10 s).</summary>
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    public TimeSpan JwksTimeout { get; set; } = KeySetTiming.DefaultTimeout;

    /// <summary>Whether the bound parameter set takes a provider's key set.</summary>
    private protected bool FromProvider => ParameterSetName == AuthoritySet || ParameterSetName == JwksUriSet;

    /// <summary>
    /// Validation parameters for the provider's tokens: its key set is fetched now. A provider that
    /// cannot be reached, or whose documents the library refuses, is a terminating error naming the
    /// URL and the cause.
    /// </summary>
    private protected JwtValidationParameters ProviderParameters(ValidatorOptions options)
    {
        bool discover = ParameterSetName == AuthoritySet;
        string target = discover ? Authority : JwksUri;
        try
        {
            var timing = new KeySetTiming(JwksCooldown, JwksMaxAge, JwksTimeout);
            RemoteKeySet keySet = discover
                ? RemoteKeySet.Discover(Authority, options, timing, WriteVerbose)
                : RemoteKeySet.Fetch(null, RemoteDocument.ParseUrl(JwksUri, "key set URL"), options, timing, WriteVerbose);
            return new JwtValidationParameters(keySet);
        }
        catch (InvalidTimingException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.InvalidArgument", ErrorCategory.InvalidArgument, null));
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.InvalidProviderUrl", ErrorCategory.InvalidArgument, target));
        }
        catch (RemoteFetchException ex)
        {
            string what = discover ? $"the provider {Authority}" : $"the key set {JwksUri}";
            ThrowTerminatingError(new ErrorRecord(
                new RemoteFetchException($"Cannot fetch {what}: {ex.Message} Check the URL, and that this machine can reach it (proxy, firewall, certificate).", ex),
                "KrJwt.ProviderUnreachable",
                ErrorCategory.ConnectionError,
                target));
        }

        throw new InvalidOperationException("not reached: ThrowTerminatingError always throws");
    }
}
