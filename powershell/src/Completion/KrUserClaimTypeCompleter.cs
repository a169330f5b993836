using System.Linq;

namespace KrJwt.Completion;

/// <summary>
/// Completes <c>Add-KrJWTClaim -UserClaimType</c> with the <see cref="UserIdentityClaim"/> members;
/// each tooltip says which claim the member writes (<c>EmailAddress</c> writes <c>email</c>,
/// <c>Email</c> a claim-type URI), as the library's claim-type table says (<see cref="KrLibrary"/>).
/// </summary>
public sealed class KrUserClaimTypeCompleter : KrNameCompleter
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> ToolTips = new Lazy<IReadOnlyDictionary<string, string>>(DescribeMembers);

    protected override IEnumerable<KeyValuePair<string, string>> Offers(string parameterName, IDictionary? fakeBoundParameters) =>
        WithToolTips(Enum.GetNames(typeof(UserIdentityClaim)), name => ToolTips.Value[name]);

    private static IReadOnlyDictionary<string, string> DescribeMembers()
    {
        IReadOnlyDictionary<string, string> written = KrLibrary.UserClaimsWritten;
        var tips = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in written)
        {
            string claim = pair.Value;
            if (!claim.Contains("://"))
            {
                tips[pair.Key] = $"Writes the claim '{claim}'.";
                continue;
            }

            // A URI-named claim: point to the member that writes the short name, if one does.
            string local = claim.Substring(claim.LastIndexOf('/') + 1);
            string? sibling = written.FirstOrDefault(w => string.Equals(w.Value, local, StringComparison.OrdinalIgnoreCase)).Key;
            tips[pair.Key] = sibling is null
                ? $"Writes the claim '{claim}' (a claim-type URI, which has no short JWT name)."
                : $"Writes the claim '{claim}' (a claim-type URI); for the '{local}' claim use {sibling}.";
        }

        return tips;
    }
}
