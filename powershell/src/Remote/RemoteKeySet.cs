using System.Globalization;
using System.Threading.Tasks;

namespace KrJwt.Remote;

/// <summary>A fetch timing parameter out of range.</summary>
public sealed class InvalidTimingException : ArgumentException
{
    internal InvalidTimingException(string message)
        : base(message)
    {
    }
}

/// <summary>How often a provider's key set is fetched again.</summary>
internal sealed class KeySetTiming(TimeSpan cooldown, TimeSpan maxAge, TimeSpan timeout)
{
    internal static readonly TimeSpan DefaultCooldown = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan DefaultMaxAge = TimeSpan.FromMinutes(10);
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The least time between two fetches made for tokens naming unknown keys.</summary>
    internal TimeSpan Cooldown { get; } = Require(cooldown, TimeSpan.Zero, "JwksCooldown", "0 (a refetch for every unknown key id) or more");

    /// <summary>How long a fetched key set is used before it is fetched again.</summary>
    internal TimeSpan MaxAge { get; } = Require(maxAge, TimeSpan.FromSeconds(1), "JwksMaxAge", "at least one second");

    /// <summary>The time limit of one fetch.</summary>
    internal TimeSpan Timeout { get; } = Require(timeout, TimeSpan.FromMilliseconds(1), "JwksTimeout", "more than zero");

    private static TimeSpan Require(TimeSpan value, TimeSpan least, string name, string expected) =>
        value >= least ? value : throw new InvalidTimingException($"-{name} is {value}; use {expected}.");
}

/// <summary>
/// One fetched state of a provider's key set: the library validator made from it, and when it is
/// due again. Immutable; replaced as a whole (and compared by reference).
/// </summary>
/// <param name="Handle">The library validator made from <paramref name="Jwks"/>.</param>
/// <param name="Jwks">The last key set fetched (public keys only: the library refuses others).</param>
/// <param name="FetchedAt">When <paramref name="Jwks"/> was fetched (UTC).</param>
/// <param name="RefreshAt">When the set is fetched again (UTC): after max age, or a cooldown after a failure.</param>
/// <param name="Unavailable">Why the last fetch failed, or null when it succeeded.</param>
internal sealed record KeySetSnapshot(KrValidatorHandle Handle, string Jwks, DateTime FetchedAt, DateTime RefreshAt, string? Unavailable);

/// <summary>
/// A provider's key set, fetched and kept fresh: fetched again once it is older than its max age,
/// and when a token names a key it lacks (at most once per cooldown; threads that meet an unknown
/// key while a fetch is running wait for that fetch instead of starting another). Each fetch makes
/// a new library validator, swapped in atomically; a failed fetch keeps the cached keys, and the
/// library then refuses tokens naming other keys as KeySetUnavailable. Thread-safe: one instance
/// serves every runspace of a RunspacePool.
/// </summary>
internal sealed class RemoteKeySet : IDisposable
{
    private readonly object gate = new object();
    private readonly ValidatorOptions options;
    private volatile KeySetSnapshot current;
    private TaskCompletionSource<KeySetSnapshot>? fetching;
    private DateTime lastFetch;
    private bool disposed;

    private RemoteKeySet(string? authority, Uri jwksUri, ValidatorOptions options, KeySetTiming timing, KeySetSnapshot first)
    {
        Authority = authority;
        JwksUri = jwksUri;
        this.options = options;
        Timing = timing;
        current = first;
        lastFetch = first.FetchedAt;
    }

    /// <summary>The provider whose discovery document named the key set (as given), when it was discovered.</summary>
    internal string? Authority { get; }

    internal Uri JwksUri { get; }

    internal KeySetTiming Timing { get; }

    /// <summary>The snapshot in use now.</summary>
    internal KeySetSnapshot Current => current;

    /// <summary>
    /// OpenID Connect discovery: fetches <c>&lt;authority&gt;/.well-known/openid-configuration</c>, has
    /// the library check that it names the authority as its issuer, then fetches its <c>jwks_uri</c>.
    /// Tokens must carry that issuer (and <paramref name="options"/>' audiences).
    /// </summary>
    internal static RemoteKeySet Discover(string authority, ValidatorOptions options, KeySetTiming timing, Action<string> verbose)
    {
        Uri authorityUri = RemoteDocument.ParseUrl(authority, "authority");
        var configuration = new Uri(authorityUri.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        string document = RemoteDocument.Get(configuration, timing.Timeout);
        string json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_discovery_read(document, authority.Trim(), out p));
        using JsonDocument found = JsonToPowerShell.Parse(json);
        string issuer = JsonToPowerShell.String(found.RootElement, "issuer")!;
        string jwksUri = JsonToPowerShell.String(found.RootElement, "jwksUri")!;
        verbose($"GET {configuration}: 200, issuer '{issuer}', key set {jwksUri}.");
        options.Issuers = new[] { issuer };
        return Fetch(authority.Trim(), RemoteDocument.ParseUrl(jwksUri, $"key set URL (jwks_uri of {configuration})"), options, timing, verbose);
    }

    /// <summary>Fetches the key set at <paramref name="jwksUri"/>; a failure is an exception naming the URL and the cause.</summary>
    internal static RemoteKeySet Fetch(string? authority, Uri jwksUri, ValidatorOptions options, KeySetTiming timing, Action<string> verbose)
    {
        DateTime now = DateTime.UtcNow;
        string jwks = RemoteDocument.Get(jwksUri, timing.Timeout);
        KeySetSnapshot first = Build(options, jwksUri, jwks, now, now + timing.MaxAge, null);
        verbose(Fetched(jwksUri, first));
        return new RemoteKeySet(authority, jwksUri, options, timing, first);
    }

    /// <summary>
    /// Runs a validation <paramref name="call"/> on the current validator: first fetching the set
    /// again if it is past its max age, and once more (cooldown permitting) when the answer is that
    /// the token names a key the set lacks. <paramref name="verbose"/> hears of every fetch this
    /// thread makes.
    /// </summary>
    internal T Validate<T>(Func<KrValidatorHandle, T> call, Func<T, KrReason> reasonOf, Action<string>? verbose)
    {
        KeySetSnapshot seen = current;
        if (DateTime.UtcNow >= seen.RefreshAt)
        {
            seen = Refresh(seen, unknownKey: false, verbose);
        }

        T result = Call(call, ref seen);
        KrReason reason = reasonOf(result);
        if (reason != KrReason.KeyNotFound && reason != KrReason.KeySetUnavailable)
        {
            return result;
        }

        KeySetSnapshot next = Refresh(seen, unknownKey: true, verbose);
        return ReferenceEquals(next, seen) ? result : Call(call, ref next);
    }

    /// <summary>A call on the validator of <paramref name="snapshot"/>, or of the one that replaced it meanwhile.</summary>
    internal T Call<T>(Func<KrValidatorHandle, T> call, ref KeySetSnapshot snapshot)
    {
        while (true)
        {
            try
            {
                return call(snapshot.Handle);
            }
            catch (ObjectDisposedException) when (!disposed && !ReferenceEquals(snapshot, current))
            {
                // Swapped (and released) between reading it and using it: use the new one.
                snapshot = current;
            }
        }
    }

    /// <summary>
    /// Fetches the set again when it is due, unless another thread is already fetching: for an
    /// unknown key this thread then waits for that fetch; for max age it keeps the current set.
    /// Returns the snapshot to use.
    /// </summary>
    private KeySetSnapshot Refresh(KeySetSnapshot seen, bool unknownKey, Action<string>? verbose)
    {
        TaskCompletionSource<KeySetSnapshot> pending;
        bool owner = false;
        lock (gate)
        {
            if (disposed || !ReferenceEquals(seen, current))
            {
                return current;
            }

            if (fetching is not null)
            {
                pending = fetching;
            }
            else
            {
                DateTime now = DateTime.UtcNow;
                bool due = unknownKey ? now >= lastFetch + Timing.Cooldown : now >= seen.RefreshAt;
                if (!due)
                {
                    return current;
                }

                lastFetch = now;
                // Waiting threads resume on their own, not inside the fetching thread's lock.
                fetching = pending = new TaskCompletionSource<KeySetSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                owner = true;
            }
        }

        if (owner)
        {
            return FetchAgain(seen, pending, verbose);
        }

        return unknownKey ? pending.Task.GetAwaiter().GetResult() : current;
    }

    /// <summary>One fetch (by the thread that owns <paramref name="done"/>), swapped in and announced to the waiting threads.</summary>
    private KeySetSnapshot FetchAgain(KeySetSnapshot seen, TaskCompletionSource<KeySetSnapshot> done, Action<string>? verbose)
    {
        KeySetSnapshot next = seen;
        try
        {
            DateTime now = DateTime.UtcNow;
            string? failure;
            try
            {
                string jwks = RemoteDocument.Get(JwksUri, Timing.Timeout);
                next = Build(options, JwksUri, jwks, now, now + Timing.MaxAge, null);
                failure = null;
            }
            catch (Exception ex) when (ex is RemoteFetchException || ex is KrJwtException)
            {
                failure = ex is KrJwtException ? $"the key set at {JwksUri} was refused: {ex.Message}" : ex.Message;
            }

            if (failure is not null)
            {
                // The keys fetched last keep working; the library reports tokens naming others.
                next = Build(options, JwksUri, seen.Jwks, seen.FetchedAt, now + Timing.Cooldown, failure);
            }

            verbose?.Invoke(Fetched(JwksUri, next));
            return next;
        }
        finally
        {
            lock (gate)
            {
                if (!ReferenceEquals(next, seen) && !disposed)
                {
                    current = next;
                    // Calls in progress keep the old validator alive (SafeHandle reference counts).
                    seen.Handle.Dispose();
                }
                else if (!ReferenceEquals(next, seen))
                {
                    next.Handle.Dispose();
                }

                fetching = null;
            }

            done.SetResult(current);
        }
    }

    private static KeySetSnapshot Build(ValidatorOptions options, Uri jwksUri, string jwks, DateTime fetchedAt, DateTime refreshAt, string? unavailable)
    {
        KrValidatorHandle handle = ValidatorFactory.CreateHandle(
            options.WithKeySet(jwks, jwksUri.AbsoluteUri, unavailable), Array.Empty<KrKeyHandle>(), Array.Empty<KrKeyHandle>());
        return new KeySetSnapshot(handle, jwks, fetchedAt, refreshAt, unavailable);
    }

    /// <summary>The -Verbose line of a fetch: URL, outcome, number of keys, next refresh.</summary>
    private static string Fetched(Uri jwksUri, KeySetSnapshot snapshot)
    {
        string description = KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_describe(snapshot.Handle, out p));
        using JsonDocument document = JsonToPowerShell.Parse(description);
        int keys = document.RootElement.TryGetProperty("keys", out JsonElement list) ? list.GetArrayLength() : 0;
        string next = snapshot.RefreshAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return snapshot.Unavailable is null
            ? $"GET {jwksUri}: 200, {keys} key(s), next refresh at {next}."
            : $"{snapshot.Unavailable} Keeping the {keys} cached key(s); next attempt at {next}.";
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                current.Handle.Dispose();
            }
        }
    }
}
