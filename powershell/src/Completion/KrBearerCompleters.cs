using System.Linq;
using System.Management.Automation.Language;

namespace KrJwt.Completion;

/// <summary>Completion results for names, by case-insensitive prefix, quoted where PowerShell would split them.</summary>
internal static class NameCompletion
{
    internal static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete, Func<string, string> toolTip)
    {
        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (string name in names)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                bool plain = name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.');
                string text = plain ? name : "'" + name.Replace("'", "''") + "'";
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, toolTip(name));
            }
        }
    }
}

/// <summary>Completes <c>-Scheme</c> with the bearer schemes registered by Add-KrJWTBearerAuthentication.</summary>
public sealed class KrBearerSchemeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) =>
        NameCompletion.Complete(JwtBearerSchemes.Names, wordToComplete, name => JwtBearerSchemes.Get(name)?.ToString() ?? name);
}

/// <summary>
/// Completes <c>-Policy</c> with the claim policies of the scheme named by <c>-Scheme</c> (else the
/// scheme Test-KrJWT would use, else every registered scheme's), with each policy's rule as tooltip.
/// </summary>
public sealed class KrClaimPolicyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var policies = new SortedDictionary<string, JwtClaimPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (JwtBearerScheme scheme in Schemes(fakeBoundParameters))
        {
            foreach (JwtClaimPolicy policy in scheme.ClaimPolicies.Values)
            {
                policies[policy.Name] = policy;
            }
        }

        return NameCompletion.Complete(policies.Keys, wordToComplete, name => policies[name].ToString());
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
            ? (value is PSObject ps ? ps.BaseObject : value).ToString()
            : null;
}
