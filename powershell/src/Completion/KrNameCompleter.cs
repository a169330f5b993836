using System.Linq;
using System.Management.Automation.Language;

namespace KrJwt.Completion;

/// <summary>
/// Base of the module's argument completers, which differ only in the names they offer: a name
/// completes by case-insensitive prefix, quoted where PowerShell would split it, with its tooltip.
/// </summary>
public abstract class KrNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (KeyValuePair<string, string> offer in Offers(parameterName, fakeBoundParameters))
        {
            string name = offer.Key;
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                bool plain = name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.');
                string text = plain ? name : "'" + name.Replace("'", "''") + "'";
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, offer.Value);
            }
        }
    }

    /// <summary>The names to offer for <paramref name="parameterName"/>, each with its tooltip.</summary>
    protected abstract IEnumerable<KeyValuePair<string, string>> Offers(string parameterName, IDictionary? fakeBoundParameters);

    /// <summary>Each name with the tooltip <paramref name="toolTip"/> gives it.</summary>
    protected static IEnumerable<KeyValuePair<string, string>> WithToolTips(IEnumerable<string> names, Func<string, string> toolTip) =>
        names.Select(name => new KeyValuePair<string, string>(name, toolTip(name)));
}
