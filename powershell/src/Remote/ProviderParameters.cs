using System;
using System.Management.Automation;
using KrJwt.Native;

namespace KrJwt.Remote
{
    /// <summary>
    /// Validation parameters for an identity provider's tokens, as Get-KrJWTValidationParameter and
    /// Add-KrJWTBearerAuthentication make them from -Authority (OpenID Connect discovery) or -JwksUri.
    /// The first fetch happens now: a provider that cannot be reached, or whose documents the library
    /// refuses, is a terminating error naming the URL and the cause.
    /// </summary>
    internal static class ProviderParameters
    {
        internal static JwtValidationParameters Create(PSCmdlet cmdlet, string? authority, string? jwksUri, ValidatorOptions options, KeySetTiming timing)
        {
            string target = authority ?? jwksUri!;
            try
            {
                RemoteKeySet keySet = authority is not null
                    ? RemoteKeySet.Discover(authority, options, timing, cmdlet.WriteVerbose)
                    : RemoteKeySet.Fetch(null, RemoteDocument.ParseUrl(jwksUri!, "key set URL"), options, timing, cmdlet.WriteVerbose);
                return new JwtValidationParameters(keySet);
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.InvalidProviderUrl", ErrorCategory.InvalidArgument, target));
            }
            catch (RemoteFetchException ex)
            {
                string what = authority is not null ? $"the provider {authority}" : $"the key set {jwksUri}";
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new RemoteFetchException($"Cannot fetch {what}: {ex.Message} Check the URL, and that this machine can reach it (proxy, firewall, certificate).", ex),
                    "KrJwt.ProviderUnreachable",
                    ErrorCategory.ConnectionError,
                    target));
            }

            throw new InvalidOperationException("not reached: ThrowTerminatingError always throws");
        }

        /// <summary>The timing parameters, checked (a bad value is a terminating error).</summary>
        internal static KeySetTiming Timing(PSCmdlet cmdlet, TimeSpan cooldown, TimeSpan maxAge, TimeSpan timeout)
        {
            try
            {
                return new KeySetTiming(cooldown, maxAge, timeout);
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.InvalidArgument", ErrorCategory.InvalidArgument, null));
                throw; // not reached
            }
        }
    }
}
