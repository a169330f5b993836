using System.Reflection;

namespace KrJwt.Util;

/// <summary>
/// HTTP plumbing for the <c>-FromContext</c> parameter sets: finds the caller's <c>$Context</c>
/// and reads the bearer token from its <c>Request.Headers['Authorization']</c>. No token is ever
/// decoded here: the text after the <c>Bearer</c> scheme goes to the library as it is.
/// </summary>
/// <remarks>
/// Accepted shapes: an <see cref="System.Net.HttpListenerContext"/> (headers are a
/// NameValueCollection), an ASP.NET Core HttpContext (IHeaderDictionary, read through its string
/// indexer; StringValues become their first value), a Kestrun-style context, or any object
/// (PSCustomObject, hashtable, .NET object) whose <c>Request</c> has <c>Headers</c> that are an
/// IDictionary, a NameValueCollection or anything with a string indexer. Header names are matched
/// case-insensitively; a request object's own <c>Authorization</c> property is the last resort.
/// </remarks>
internal static class BearerToken
{
    internal const string ContextVariable = "Context";
    private const string HeaderName = "Authorization";
    private const string Scheme = "Bearer";

    /// <summary>Why no token could be read (for the error message), or null when one was.</summary>
    internal sealed class Lookup
    {
        internal Lookup(string? token, string? problem)
        {
            Token = token;
            Problem = problem;
        }

        /// <summary>The bearer token, trimmed; null when there is none.</summary>
        internal string? Token { get; }

        /// <summary>What was missing, phrased for an error message; null when a token was found.</summary>
        internal string? Problem { get; }
    }

    /// <summary>Reads the bearer token of the <c>$Context</c> visible from the caller's scope.</summary>
    internal static Lookup FromSessionState(SessionState sessionState)
    {
        object? context = sessionState.PSVariable.GetValue(ContextVariable);
        if (context is null)
        {
            return new Lookup(null, "There is no $Context variable in this scope: -FromContext works inside a route script block, " +
                "where $Context is the current request's context (an HttpListenerContext, an ASP.NET HttpContext, " +
                "or any object with Request.Headers['Authorization']).");
        }

        return FromContext(context);
    }

    /// <summary>
    /// The bearer token of the caller's <c>$Context</c>; when there is none, a non-terminating
    /// KrJwt.NoBearerToken error (<paramref name="found"/>: what the cmdlet says it did not find) and null.
    /// </summary>
    internal static string? ReadOrReport(PSCmdlet cmdlet, string found)
    {
        Lookup lookup = FromSessionState(cmdlet.SessionState);
        if (lookup.Token is null)
        {
            cmdlet.WriteError(new ErrorRecord(
                new InvalidOperationException($"{cmdlet.MyInvocation.MyCommand.Name} -FromContext found no {found}. {lookup.Problem}"),
                "KrJwt.NoBearerToken",
                ErrorCategory.AuthenticationError,
                null));
        }

        return lookup.Token;
    }

    /// <summary>Reads the bearer token of a context object.</summary>
    internal static Lookup FromContext(object context)
    {
        object? request = PSValues.Member(context, "Request");
        if (request is null)
        {
            return new Lookup(null, "$Context has no Request: -FromContext needs an object with Request.Headers['Authorization'].");
        }

        string? header = HeaderValue(PSValues.Member(request, "Headers")) ?? AsString(PSValues.Member(request, HeaderName));
        if (header is null || header.Trim().Length == 0)
        {
            return new Lookup(null, "The request has no Authorization header: send 'Authorization: Bearer <token>'.");
        }

        string? token = Parse(header);
        return token is null
            ? new Lookup(null, "The request's Authorization header does not carry a bearer token: send 'Authorization: Bearer <token>'.")
            : new Lookup(token, null);
    }

    /// <summary>
    /// The token of an <c>Authorization</c> header value: the scheme <c>Bearer</c> (any case),
    /// at least one space or tab, then the token, trimmed. Null when the scheme differs or the
    /// token is empty.
    /// </summary>
    internal static string? Parse(string header)
    {
        string value = header.Trim();
        if (value.Length <= Scheme.Length
            || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || !char.IsWhiteSpace(value[Scheme.Length]))
        {
            return null;
        }

        string token = value.Substring(Scheme.Length).Trim();
        return token.Length == 0 ? null : token;
    }

    private static string? HeaderValue(object? headers)
    {
        switch (headers)
        {
            case null:
                return null;
            case NameValueCollection collection:
                // WebHeaderCollection and NameValueCollection compare names case-insensitively.
                return collection[HeaderName] ?? FindIgnoringCase(collection);
            case IDictionary dictionary:
                return AsString(dictionary.Contains(HeaderName) ? dictionary[HeaderName] : FindIgnoringCase(dictionary));
            default:
                return Indexer(headers);
        }
    }

    private static string? FindIgnoringCase(NameValueCollection collection)
    {
        foreach (string? key in collection.AllKeys)
        {
            if (string.Equals(key, HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                return collection[key];
            }
        }

        return null;
    }

    private static object? FindIgnoringCase(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is string key && string.Equals(key, HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>Headers exposed through a string indexer (IHeaderDictionary, custom types).</summary>
    private static string? Indexer(object headers)
    {
        object target = PSValues.Unwrap(headers)!;
        PropertyInfo? indexer = null;
        foreach (PropertyInfo property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            ParameterInfo[] parameters = property.GetIndexParameters();
            if (parameters.Length == 1 && parameters[0].ParameterType == typeof(string) && property.CanRead)
            {
                indexer = property;
                break;
            }
        }

        if (indexer is not null)
        {
            try
            {
                return AsString(indexer.GetValue(target, new object[] { HeaderName }));
            }
            catch (TargetInvocationException)
            {
                // A dictionary-style indexer throws for a missing key: treat it as absent.
                return null;
            }
        }

        return AsString(PSValues.Member(headers, HeaderName));
    }

    /// <summary>
    /// A header value as text: strings as they are; several values (string[], StringValues, lists)
    /// give the first non-empty one; anything else its string form.
    /// </summary>
    private static string? AsString(object? value)
    {
        value = PSValues.Unwrap(value);
        switch (value)
        {
            case null:
                return null;
            case string s:
                return s;
            case IEnumerable values:
                foreach (object? item in values)
                {
                    string? text = AsString(item);
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        return text;
                    }
                }

                return null;
            default:
                return value.ToString();
        }
    }
}
