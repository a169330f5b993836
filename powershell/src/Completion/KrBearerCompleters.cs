using System.Linq;

namespace KrJwt.Completion;

/// <summary>Completes <c>-Scheme</c> with the bearer schemes registered by Add-KrJWTBearerAuthentication.</summary>
public sealed class KrBearerSchemeCompleter : KrNameCompleter
{
    protected override IEnumerable<KeyValuePair<string, string>> Offers(string parameterName, IDictionary? fakeBoundParameters) =>
        WithToolTips(JwtBearerSchemes.Names, name => JwtBearerSchemes.Get(name)?.ToString() ?? name);
}

/// <summary>
/// Completes <c>-Policy</c> with the claim policies of the scheme named by <c>-Scheme</c> (else the
/// scheme Test-KrJWT would use, else every registered scheme's), with each policy's rule as tooltip.
/// </summary>
public sealed class KrClaimPolicyCompleter : KrNameCompleter
{
    protected override IEnumerable<KeyValuePair<string, string>> Offers(string parameterName, IDictionary? fakeBoundParameters)
    {
        var policies = new SortedDictionary<string, JwtClaimPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (JwtBearerScheme scheme in Schemes(fakeBoundParameters))
        {
            foreach (JwtClaimPolicy policy in scheme.ClaimPolicies.Values)
            {
                policies[policy.Name] = policy;
            }
        }

        return WithToolTips(policies.Keys, name => policies[name].ToString());
    }

    private static IEnumerable<JwtBearerScheme> Schemes(IDictionary? bound)
    {
        string? named = Named(bound, "Scheme") ?? Named(bound, "AuthenticationScheme");
        if (named is not null)
        {
            return JwtBearerSchemes.Get(named) is JwtBearerScheme scheme ? new[] { scheme } : Array.Empty<JwtBearerScheme>();
        }

        try
        {
            return new[] { JwtBearerSchemes.Resolve(null) };
        }
        catch (ItemNotFoundException)
        {
            // No default: offer the policies of every registered scheme.
            return JwtBearerSchemes.Names.Select(JwtBearerSchemes.Get).OfType<JwtBearerScheme>();
        }
    }

    private static string? Named(IDictionary? bound, string parameter) =>
        bound is not null && bound.Contains(parameter) && bound[parameter] is object value
            ? PSValues.Unwrap(value)?.ToString()
            : null;
}
