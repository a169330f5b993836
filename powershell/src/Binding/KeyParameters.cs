using System.Collections.ObjectModel;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace KrJwt.Binding;

/// <summary>The key sources, one parameter each, named as Kestrun names them (docs/parameters.md).</summary>
[Flags]
internal enum KeySources
{
    Base64Url = 1 << 0,
    HexadecimalKey = 1 << 1,
    KeyBytes = 1 << 2,
    Passphrase = 1 << 3,
    PemPath = 1 << 4,
    Pem = 1 << 5,
    JwkJson = 1 << 6,
    JwkPath = 1 << 7,
    X509Certificate = 1 << 8,
    JwksJson = 1 << 9,
    JwksPath = 1 << 10,

    /// <summary>Key documents: PEM, JWK (an oct JWK is a secret) and certificates.</summary>
    Documents = PemPath | Pem | JwkJson | JwkPath | X509Certificate,

    /// <summary>Every single key: the shared secrets and the key documents.</summary>
    Keys = Base64Url | HexadecimalKey | KeyBytes | Passphrase | Documents,

    /// <summary>JWK Set documents, whose keys a token's kid selects.</summary>
    KeySets = JwksJson | JwksPath,
}

/// <summary>What a key is for: it names the key in messages and says which half of a certificate is used.</summary>
internal enum KeyRole
{
    Signing,
    Encryption,
    Verification,
    Decryption,
    Publishing,
}

/// <summary>
/// The key parameters of the module, declared once: <see cref="Table"/> holds every key source,
/// and each cmdlet takes a family of them (which sources, for which role, in which parameter set,
/// one key or several, under which prefix and aliases) as dynamic parameters. A family that takes
/// one key refuses none and two with errors that name the parameters (KrJwt.MissingKey,
/// KrJwt.KeySourceConflict): one parameter set holds every source, so the binder cannot.
/// Dynamic, because an attribute is fixed to its property: a declared property could not take
/// another set, prefix or array type per cmdlet. Get-Command, Get-Help, splatting and tab
/// completion see them as any parameter.
/// </summary>
internal sealed class KeyParameters
{
    /// <summary>
    /// How one source binds and becomes key material (<see cref="KeySource.Import"/>; a JWK Set
    /// is read as text). <paramref name="OneValue"/>: one value even where a family takes several
    /// keys (a list of byte arrays cannot be told from one; a validator reads one JWK Set).
    /// </summary>
    private sealed record Source(KeySources Flag, Type Type, KeyInput? Input, bool OneValue = false)
    {
        internal string Name => Flag.ToString();
    }

    private static readonly Source[] Table =
    {
        new(KeySources.Base64Url, typeof(string), KeyInput.Base64Url),
        new(KeySources.HexadecimalKey, typeof(string), KeyInput.Hex),
        new(KeySources.KeyBytes, typeof(byte[]), KeyInput.Bytes, OneValue: true),
        new(KeySources.Passphrase, typeof(SecureString), KeyInput.Passphrase),
        new(KeySources.PemPath, typeof(string), KeyInput.PemPath),
        new(KeySources.Pem, typeof(string), KeyInput.Pem),
        new(KeySources.JwkJson, typeof(string), KeyInput.JwkJson),
        new(KeySources.JwkPath, typeof(string), KeyInput.JwkPath),
        new(KeySources.X509Certificate, typeof(X509Certificate2), KeyInput.Certificate),
        new(KeySources.JwksJson, typeof(string), null, OneValue: true),
        new(KeySources.JwksPath, typeof(string), null, OneValue: true),
    };

    private readonly KeyRole role;
    private readonly KeySources sources;
    private readonly string? parameterSet;
    private readonly string prefix;
    private readonly bool several;
    private readonly Dictionary<KeySources, string[]> aliases = new Dictionary<KeySources, string[]>();
    private RuntimeDefinedParameterDictionary declared = new RuntimeDefinedParameterDictionary();

    /// <param name="parameterSet">The set the parameters belong to; null for every set.</param>
    /// <param name="prefix">Put before each name (Decryption: -DecryptionPem).</param>
    /// <param name="several">A key ring: each source takes several values, and sources combine.</param>
    internal KeyParameters(KeyRole role, KeySources sources, string? parameterSet = null, string prefix = "", bool several = false)
    {
        this.role = role;
        this.sources = sources;
        this.parameterSet = parameterSet;
        this.prefix = prefix;
        this.several = several;
    }

    /// <summary>Other names of a source's parameter (the names earlier versions or Kestrun used).</summary>
    internal KeyParameters Alias(KeySources source, params string[] names)
    {
        aliases[source] = names;
        return this;
    }

    /// <summary>The dynamic parameters of a cmdlet's families (its IDynamicParameters answer).</summary>
    internal static RuntimeDefinedParameterDictionary Declare(params KeyParameters[] families)
    {
        var parameters = new RuntimeDefinedParameterDictionary();
        foreach (KeyParameters family in families)
        {
            family.DeclareIn(parameters);
        }

        return parameters;
    }

    /// <summary>
    /// Imports the given keys (handles the caller disposes) and reads the given JWK Set. A family
    /// that takes one key must have exactly one source given; a key ring takes all, but one JWK Set.
    /// </summary>
    internal ImportedKeys Import(PSCmdlet cmdlet)
    {
        List<(string Parameter, Source Source, object Value)> given = Given().ToList();
        if (several)
        {
            RequireAtMostOne(cmdlet, given.Where(g => g.Source.Input is null).Select(g => g.Parameter).ToList(), "JWK Set");
        }
        else
        {
            RequireOne(cmdlet, given.Select(g => g.Parameter).ToList());
        }

        var imported = new ImportedKeys();
        try
        {
            foreach ((string parameter, Source source, object value) in given)
            {
                if (source.Input is KeyInput input)
                {
                    imported.Keys.Add(KeySource.Import(cmdlet, input, value, CertificateHalf, parameter));
                }
                else
                {
                    imported.KeySetJson = source.Flag == KeySources.JwksPath
                        ? KeySource.ReadPublicTextFile(cmdlet, (string)value, parameter, "JWK Set")
                        : (string)value;
                }
            }

            return imported;
        }
        catch
        {
            imported.Dispose();
            throw;
        }
    }

    private CertificateKey CertificateHalf =>
        role == KeyRole.Signing || role == KeyRole.Decryption ? CertificateKey.Private : CertificateKey.Public;

    /// <summary>The key in words, for messages: "signing key", "verification key or JWK Set".</summary>
    private string What => (role == KeyRole.Publishing ? "key" : role.ToString().ToLowerInvariant() + " key") +
        ((sources & KeySources.KeySets) != 0 ? " or JWK Set" : string.Empty);

    private IEnumerable<Source> Declared => Table.Where(source => (sources & source.Flag) != 0);

    private bool TakesSeveral(Source source) => several && !source.OneValue;

    private void DeclareIn(RuntimeDefinedParameterDictionary parameters)
    {
        declared = parameters;
        foreach (Source source in Declared)
        {
            var parameter = new ParameterAttribute();
            if (parameterSet is not null)
            {
                parameter.ParameterSetName = parameterSet;
            }

            var attributes = new Collection<Attribute> { parameter, new ValidateNotNullOrEmptyAttribute() };
            switch (source.Flag)
            {
                case KeySources.Pem:
                    attributes.Add(new PemTextArgumentAttribute { Several = TakesSeveral(source) });
                    break;
                case KeySources.JwkJson:
                case KeySources.JwksJson:
                    attributes.Add(new JsonTextArgumentAttribute());
                    break;
            }

            if (aliases.TryGetValue(source.Flag, out string[]? names))
            {
                attributes.Add(new AliasAttribute(names));
            }

            string name = prefix + source.Name;
            Type type = TakesSeveral(source) ? source.Type.MakeArrayType() : source.Type;
            parameters.Add(name, new RuntimeDefinedParameter(name, type, attributes));
        }
    }

    /// <summary>The given sources, in table order: the parameter's name and each value.</summary>
    private IEnumerable<(string Parameter, Source Source, object Value)> Given()
    {
        foreach (Source source in Declared)
        {
            string name = prefix + source.Name;
            if (!declared.TryGetValue(name, out RuntimeDefinedParameter? parameter) || !parameter.IsSet || parameter.Value is null)
            {
                continue;
            }

            if (TakesSeveral(source))
            {
                foreach (object? value in (Array)parameter.Value)
                {
                    yield return (name, source, value!);
                }
            }
            else
            {
                yield return (name, source, parameter.Value);
            }
        }
    }

    private void RequireOne(PSCmdlet cmdlet, List<string> given)
    {
        if (given.Count == 0)
        {
            string names = string.Join(", ", Declared.Select(source => "-" + prefix + source.Name));
            Refuse(cmdlet, "KrJwt.MissingKey", $"{cmdlet.MyInvocation.MyCommand.Name} needs the {What}: give one of {names}.");
        }

        RequireAtMostOne(cmdlet, given, What);
    }

    private static void RequireAtMostOne(PSCmdlet cmdlet, List<string> given, string what)
    {
        if (given.Count > 1)
        {
            Refuse(cmdlet, "KrJwt.KeySourceConflict", $"{cmdlet.MyInvocation.MyCommand.Name} takes one {what}, but was given " +
                $"{string.Join(" and ", given.Select(name => "-" + name))}. Give only one.");
        }
    }

    private static void Refuse(PSCmdlet cmdlet, string errorId, string message) =>
        cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, null));
}

/// <summary>The keys a family's parameters gave (handles the cmdlet owns) and its JWK Set document.</summary>
internal sealed class ImportedKeys : IDisposable
{
    internal List<KrKeyHandle> Keys { get; } = new List<KrKeyHandle>();

    internal string? KeySetJson { get; set; }

    /// <summary>The key of a family that takes one key and no JWK Set.</summary>
    internal KrKeyHandle Key => Keys[0];

    public void Dispose()
    {
        foreach (KrKeyHandle key in Keys)
        {
            key.Dispose();
        }

        Keys.Clear();
    }
}
