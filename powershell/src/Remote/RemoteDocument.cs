using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;

namespace KrJwt.Remote;

/// <summary>A provider document could not be fetched: the message names the URL and the cause.</summary>
public sealed class RemoteFetchException : Exception
{
    internal RemoteFetchException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Fetches a provider's documents (discovery, JWK Set) as text: https only (plain http for loopback
/// hosts), no redirects followed, a time limit and a size cap. What the documents say is for the
/// library to judge. One HttpClient for the process: it honours the system's proxy settings and
/// certificate store, and its connection pool renews connections so that DNS changes are seen.
/// </summary>
internal static class RemoteDocument
{
    /// <summary>The largest document accepted; real JWK Sets and discovery documents are a few KiB.</summary>
    internal const int MaxBytes = 512 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly HttpClient Client = new HttpClient(new SocketsHttpHandler
    {
        // A redirect could lead from https to a host the URL check never saw.
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        // Each request has its own limit (a cancellation token), which also covers reading the body.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>
    /// The URL a person gave for a provider: absolute https, or http for a loopback host
    /// (localhost, 127.0.0.0/8, ::1). Anything else is refused before any connection.
    /// </summary>
    internal static Uri ParseUrl(string text, string what)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out Uri? uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"The {what} '{text}' is not an absolute https URL, such as https://login.example.com/tenant.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"The {what} '{uri.GetLeftPart(UriPartial.Scheme)}...' carries credentials: a provider's public documents need none. Remove them from the URL.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new ArgumentException(
                $"The {what} '{text}' uses plain http, so the keys could be replaced on the way: use https. (http is accepted only for loopback hosts: localhost, 127.0.0.0/8, ::1.)");
        }

        return uri;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.HostNameType == UriHostNameType.Dns
            ? string.Equals(uri.IdnHost.TrimEnd('.'), "localhost", StringComparison.OrdinalIgnoreCase)
            : IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address);

    /// <summary>GETs <paramref name="uri"/> (checked with <see cref="ParseUrl"/>); the body of a 200 answer, else an exception saying why.</summary>
    internal static string Get(Uri uri, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            using HttpResponseMessage response = Client.Send(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            int status = (int)response.StatusCode;
            if (status >= 300 && status < 400 && response.Headers.Location is Uri location)
            {
                throw new RemoteFetchException(
                    $"GET {uri} answered {status} (a redirect to {new Uri(uri, location)}); redirects are not followed: use the final URL.");
            }

            if (status != 200)
            {
                throw new RemoteFetchException($"GET {uri} answered {status} {response.ReasonPhrase}.");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw TooLarge(uri);
            }

            using Stream body = response.Content.ReadAsStream(deadline.Token);
            return StrictUtf8.GetString(ReadCapped(body, uri, deadline.Token));
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw new RemoteFetchException($"GET {uri} timed out after {timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RemoteFetchException($"GET {uri} failed: {Cause(ex)}", ex);
        }
        catch (IOException ex)
        {
            throw new RemoteFetchException($"GET {uri} failed while reading the answer: {Cause(ex)}", ex);
        }
        catch (DecoderFallbackException ex)
        {
            throw new RemoteFetchException($"GET {uri} answered with text that is not UTF-8.", ex);
        }
    }

    private static byte[] ReadCapped(Stream body, Uri uri, CancellationToken cancel)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = body.ReadAsync(buffer.AsMemory(), cancel).AsTask().GetAwaiter().GetResult()) > 0)
        {
            if (copy.Length + read > MaxBytes)
            {
                throw TooLarge(uri);
            }

            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    private static RemoteFetchException TooLarge(Uri uri) =>
        new RemoteFetchException($"GET {uri} answered with more than {MaxBytes / 1024} KiB, more than a key set or discovery document needs; it was not read.");

    /// <summary>The innermost messages of a network failure (socket errors say the most).</summary>
    private static string Cause(Exception ex)
    {
        var text = new StringBuilder(ex.Message.TrimEnd('.'));
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.ToString().Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal))
            {
                text.Append(": ").Append(inner.Message.TrimEnd('.'));
            }
        }

        return text.Append('.').ToString();
    }
}
