using System.Runtime.InteropServices;

namespace KrJwt.Native;

/// <summary>
/// The krjwt C ABI, one declaration per function of include/krjwt.h (docs/c-abi.md), grouped
/// as in docs/c-abi.md. Conventions: strings in are NUL-terminated UTF-8, marshalled by
/// <see cref="Utf8Argument"/>, which refuses a string holding U+0000 rather than let the library
/// read it cut short; tokens cross as UTF-8 bytes with their length (<see cref="Utf8Token"/>),
/// so that every character counts; strings the library
/// allocates come back as <c>out IntPtr</c> and are released with <see cref="kr_string_free"/>
/// (see <see cref="KrNative.TakeString"/>); handles travel as SafeHandles so that a handle
/// cannot be freed while a call is using it. The <c>*_free</c> functions take raw pointers
/// because only the SafeHandles' ReleaseHandle calls them.
/// </summary>
internal static class NativeMethods
{
    internal const string Library = NativeLibraryLoader.LibraryName;

    // The resolver must be in place before the first call into the library, whoever makes it
    // (the module initializer normally does it first; this covers direct use of the types).
    static NativeMethods() => NativeLibraryLoader.Register();

    // ---- Library ------------------------------------------------------------------------

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern uint kr_abi_version();

    /// <summary>Static string owned by the library: never free it.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr kr_version();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_last_error_get_code();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr kr_last_error_get_message();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void kr_string_free(IntPtr s);

    /// <summary>The library's vocabulary and defaults as JSON (read by <see cref="KrLibrary"/>).</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_library_describe(out IntPtr outJson);

    /// <summary>A reason's name: a static string owned by the library (never free it); zero for no reason.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern IntPtr kr_reason_get_name(int reason);

    // ---- Keys ---------------------------------------------------------------------------

    /// <summary>
    /// <paramref name="data"/> is pinned (not copied) for the call, so a caller can wipe its
    /// buffer as soon as the call returns. The header types <c>format</c> as int32_t.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_key_import(KrKeyFormat format, byte[] data, UIntPtr len, out KrKeyHandle key);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_key_free(IntPtr key);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_key_describe(KrKeyHandle key, out IntPtr outJson);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_key_export_public_jwk(KrKeyHandle key, out IntPtr outJson);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_key_get_thumbprint(KrKeyHandle key, out IntPtr outThumbprint);

    /// <summary>RFC 7638 thumbprint of any JWK JSON (public members suffice).</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_jwk_compute_thumbprint(
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "JWK JSON")] string jwkJson, out IntPtr outThumbprint);

    /// <summary>A JWK Set of the public keys of raw key handles (kept alive by the caller).</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_jwks_export(IntPtr[] keys, UIntPtr count, out IntPtr outJson);

    // ---- Builder ------------------------------------------------------------------------

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_new(out KrBuilderHandle builder);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_clone(KrBuilderHandle builder, out KrBuilderHandle clone);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_free(IntPtr builder);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_set_issuer(
        KrBuilderHandle builder, [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "issuer")] string issuer);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_add_audience(
        KrBuilderHandle builder, [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "audience")] string audience);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_set_subject(
        KrBuilderHandle builder, [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "subject")] string subject);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_add_claim(
        KrBuilderHandle builder,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "claim type")] string claimType,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "claim value")] string value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_add_claim_json(
        KrBuilderHandle builder,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "claim type")] string claimType,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "JSON value")] string jsonValue);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_add_user_claim(
        KrBuilderHandle builder,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "UserIdentityClaim name")] string userClaim,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "claim value")] string value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_set_header(
        KrBuilderHandle builder,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "header name")] string name,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "JSON value")] string jsonValue);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_set_lifetime(KrBuilderHandle builder, double seconds);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_set_not_before(KrBuilderHandle builder, long unixSeconds);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_set_not_before_offset(KrBuilderHandle builder, double seconds);

    /// <summary><paramref name="alg"/> null (or "Auto") lets the library choose from the key.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_sign(
        KrBuilderHandle builder, KrKeyHandle key, [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "algorithm name")] string? alg);

    /// <summary>
    /// Makes builds nested JWTs (the signed JWS inside a compact JWE) encrypted to
    /// <paramref name="key"/>. <paramref name="keyAlg"/>/<paramref name="encAlg"/> null, empty or
    /// "Auto" take the key's defaults; names are case-insensitive. The key and names are checked now.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_encrypt(
        KrBuilderHandle builder,
        KrKeyHandle key,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "key management algorithm name")] string? keyAlg,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "content encryption algorithm name")] string? encAlg);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_describe(KrBuilderHandle builder, out IntPtr outJson);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_build(KrBuilderHandle builder, out KrResultHandle result);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_export_public_jwk(KrBuilderHandle builder, out IntPtr outJson);

    /// <summary><paramref name="lifetimeSeconds"/> &lt;= 0 keeps the builder's lifetime.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_builder_renew(
        KrBuilderHandle builder,
        byte[] token,
        UIntPtr tokenLen,
        double lifetimeSeconds,
        out KrResultHandle result);

    // ---- Build result -------------------------------------------------------------------

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_result_free(IntPtr result);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_result_get_token(KrResultHandle result, out IntPtr outToken);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_result_describe(KrResultHandle result, out IntPtr outJson);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_result_export_public_jwk(KrResultHandle result, out IntPtr outJson);

    // ---- Validation ---------------------------------------------------------------------

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_new_for_result(
        KrResultHandle result, double clockSkewSeconds, out KrValidatorHandle validator);

    /// <summary>
    /// <paramref name="keys"/> (verification) and <paramref name="decryptionKeys"/> (to open nested
    /// JWTs) hold raw key handles: the caller keeps their SafeHandles alive (DangerousAddRef) for
    /// the duration of the call. Either array may be empty; the library copies what it keeps.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_new(
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "validation options")] string? optionsJson,
        IntPtr[] keys,
        UIntPtr keyCount,
        IntPtr[] decryptionKeys,
        UIntPtr decryptionKeyCount,
        out KrValidatorHandle validator);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_free(IntPtr validator);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_describe(KrValidatorHandle validator, out IntPtr outJson);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_check(
        KrValidatorHandle validator, byte[] token, UIntPtr tokenLen, out KrReason reason);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_validate(
        KrValidatorHandle validator, byte[] token, UIntPtr tokenLen, out IntPtr outReportJson);

    // ---- OpenID Connect discovery ------------------------------------------------------

    /// <summary>Checks a provider's configuration against the authority it was fetched for: <c>{"issuer","jwksUri"}</c>.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_discovery_read(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string documentJson,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string authority,
        out IntPtr outJson);

    // ---- JOSE layer and inspection ------------------------------------------------------

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_jws_sign(
        KrKeyHandle key,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "algorithm name")] string? alg,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "header JSON")] string? headerJson,
        byte[] payload,
        UIntPtr len,
        out IntPtr outToken);

    /// <summary>
    /// The verdict comes in <paramref name="reason"/> (a refused token: <see cref="KrStatus.InvalidToken"/>);
    /// the payload as library-owned bytes: release with <see cref="kr_bytes_free"/>.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_jws_verify(
        KrKeyHandle key,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "algorithm name")] string? alg,
        byte[] token,
        UIntPtr tokenLen,
        out KrReason reason,
        out IntPtr outPayload,
        out UIntPtr outLen,
        out IntPtr outHeaderJson);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void kr_bytes_free(IntPtr bytes, UIntPtr len);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_token_inspect(byte[] token, UIntPtr tokenLen, out IntPtr outJson);

    /// <summary>
    /// Decodes a token without validating it, decrypting an encrypted one first with
    /// <paramref name="key"/> (no signature or claim checks). <paramref name="keyAlg"/>/
    /// <paramref name="encAlg"/> null: every pair the key fits but RSA1_5 and PBES2.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_token_inspect_with_key(
        KrKeyHandle key,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "key management algorithm name")] string? keyAlg,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "content encryption algorithm name")] string? encAlg,
        byte[] token,
        UIntPtr tokenLen,
        out IntPtr outJson);

    /// <summary>Decodes a token without validating it, decrypting a nested JWT with the validator's decryption keys.</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_validator_inspect(
        KrValidatorHandle validator, byte[] token, UIntPtr tokenLen, out IntPtr outJson);

    /// <summary>Compact JWE of arbitrary bytes (names null/"Auto": the key's defaults).</summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_jwe_encrypt(
        KrKeyHandle key,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "key management algorithm name")] string? keyAlg,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "content encryption algorithm name")] string? encAlg,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "header JSON")] string? headerJson,
        byte[] payload,
        UIntPtr len,
        out IntPtr outToken);

    /// <summary>
    /// Decrypts a compact JWE (names null: every pair the key fits but RSA1_5 and PBES2). The
    /// verdict comes in <paramref name="reason"/>, as for <see cref="kr_jws_verify"/>; the payload as
    /// library-owned bytes: release with <see cref="kr_bytes_free"/>.
    /// </summary>
    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern KrStatus kr_jwe_decrypt(
        KrKeyHandle key,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "key management algorithm name")] string? keyAlg,
        [MarshalAs(UnmanagedType.CustomMarshaler, MarshalTypeRef = typeof(Utf8Argument), MarshalCookie = "content encryption algorithm name")] string? encAlg,
        byte[] token,
        UIntPtr tokenLen,
        out KrReason reason,
        out IntPtr outPayload,
        out UIntPtr outLen,
        out IntPtr outHeaderJson);
}
