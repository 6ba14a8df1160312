using System.Reflection;
using System.Runtime.CompilerServices;
using LLMML.Foundation.Persistence;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace LLMML.MLNet.Persistence;

/// <summary>
/// The only place LLMML touches ML.NET internals. ML.NET keeps <c>ModelSaveContext</c>/<c>ModelLoadContext</c>
/// members, <c>VersionInfo</c>, <c>[LoadableClass]</c> and <c>SchemaShape.Create</c> internal
/// (dotnet/machinelearning #4911, #3243, #6839), yet <c>mlContext.Model.Save/Load</c> of a pipeline needs them.
/// </summary>
/// <remarks>
/// <para>How it works. Saving: an <see cref="IArchivableTransformer"/>'s <c>ICanSaveModel.Save</c> calls
/// <see cref="Save"/>, which writes ML.NET's model header with the loader signature
/// <see cref="LoaderSignature"/>, then the transformer's type name and its <see cref="ModelArchive"/> bytes.
/// Loading: <see cref="Register"/> adds one loadable class under that signature to an
/// <see cref="MLContext"/>'s component catalog; ML.NET's loader then calls back here, the archive is
/// validated in full, and the type's static <see cref="IArchivableTransformer{TSelf}.FromArchive"/> rebuilds it.</para>
/// <para>Because the catalog is per <see cref="MLContext"/>, a context must be registered before
/// <c>mlContext.Model.Load</c>: calling <c>mlContext.Llm()</c> does it (so do LLMML's estimators).</para>
/// <para>Checked against Microsoft.ML 6.0.0. <see cref="VerifyCompatibility"/> binds every internal member up front
/// and throws <see cref="NotSupportedException"/> naming what a different ML.NET lacks; a test calls it.</para>
/// </remarks>
public static class MLNetModelBridge
{
    /// <summary>Loader signature written into ML.NET model headers for LLMML transformers.</summary>
    public const string LoaderSignature = "LLMMLArchivedTransformer";

    // ML.NET model signatures are at most 8 ASCII characters.
    private const string ModelSignature = "LLMMLARC";
    private const uint VersionWritten = 0x00010001;

    /// <summary>The Microsoft.ML version whose internals the bridge was checked against.</summary>
    public const string WrittenFor = "6.0.0";

    private static readonly Lazy<Internals> Bound = new(Internals.Bind, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConditionalWeakTable<ComponentCatalog, MLContext> Registered = new();

    /// <summary>
    /// The loaded assembly's informational version ("6.0.0+commit"); ML.NET's assembly version is always 1.0.0.0, so
    /// it cannot tell a user which ML.NET they have.
    /// </summary>
    public static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Binds all ML.NET internals the bridge uses; throws <see cref="NotSupportedException"/> listing any that are missing.</summary>
    public static void VerifyCompatibility() => _ = Bound.Value;

    /// <summary>Makes <paramref name="mlContext"/>'s <c>Model.Load</c> able to rebuild LLMML transformers. Idempotent.</summary>
    public static void Register(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var catalog = mlContext.ComponentCatalog;
        lock (Registered)
        {
            if (Registered.TryGetValue(catalog, out _)) return;
            Bound.Value.AddLoader(catalog);
            Registered.Add(catalog, mlContext);
        }
    }

    /// <summary>Whether <see cref="Register"/> ran for this context.</summary>
    public static bool IsRegistered(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        lock (Registered) return Registered.TryGetValue(mlContext.ComponentCatalog, out _);
    }

    /// <summary>Writes <paramref name="transformer"/> into ML.NET's model context; call it from <c>ICanSaveModel.Save</c>.</summary>
    public static void Save(ModelSaveContext ctx, IArchivableTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(transformer);
        var type = transformer.GetType();
        if (!typeof(IArchivableTransformer<>).MakeGenericType(type).IsAssignableFrom(type))
            throw new InvalidOperationException($"{type.FullName} must implement IArchivableTransformer<{type.Name}> so ML.NET can load it back.");
        var bytes = transformer.ToArchive().ToBytes();

        var i = Bound.Value;
        i.SaveCheckAtModel(ctx);
        i.SetVersionInfo(ctx);
        var writer = i.Writer(ctx);
        writer.Write($"{type.FullName}, {type.Assembly.GetName().Name}");
        writer.Write((long)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>
    /// A <see cref="SchemaShape"/> for <paramref name="schema"/> (ML.NET's own conversion is internal); estimators
    /// use it to describe the columns they add in <c>GetOutputSchema(SchemaShape)</c>.
    /// </summary>
    public static SchemaShape ToSchemaShape(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Bound.Value.CreateSchemaShape(schema);
    }

    // ML.NET's catalog invokes this through the LoadableClassInfo built in AddLoader, with (env, ModelLoadContext).
    private static ITransformer Create(IHostEnvironment env, object ctx)
    {
        var i = Bound.Value;
        i.LoadCheckAtModel(ctx);
        var reader = i.Reader(ctx);
        string typeName;
        long length;
        byte[] bytes;
        try
        {
            typeName = reader.ReadString();
            length = reader.ReadInt64();
            if (length < 0 || length > Array.MaxLength)
                throw new InvalidDataException($"LLMML model entry declares {length} archive bytes.");
            bytes = reader.ReadBytes((int)length);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("LLMML model entry inside the ML.NET model is truncated.", e);
        }
        if (bytes.Length != length)
            throw new InvalidDataException($"LLMML model entry for '{typeName}' is truncated: {bytes.Length} of {length} bytes.");

        var archive = ModelArchive.FromBytes(bytes, $"ML.NET model entry '{typeName}'");
        var type = Type.GetType(typeName, throwOnError: false)
            ?? throw new InvalidDataException($"The ML.NET model holds an LLMML '{typeName}', but that type could not be found; reference its assembly.");
        if (!typeof(IArchivableTransformer<>).MakeGenericType(type).IsAssignableFrom(type))
            throw new InvalidDataException($"'{typeName}' does not implement IArchivableTransformer<{type.Name}>.");

        var mlContext = ContextFor(env);
        var fromArchive = typeof(LlmModels).GetMethod(nameof(LlmModels.FromArchive))!.MakeGenericMethod(type);
        try
        {
            return (ITransformer)fromArchive.Invoke(null, [mlContext, archive])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static MLContext ContextFor(IHostEnvironment env)
    {
        if (env is MLContext direct) return direct;
        lock (Registered)
            return Registered.TryGetValue(env.ComponentCatalog, out var ctx) ? ctx : new MLContext();
    }

    /// <summary>Every reflected ML.NET internal, bound once.</summary>
    private sealed class Internals
    {
        private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

        private MethodInfo _saveCheckAtModel = null!, _setVersionInfo = null!, _loadCheckAtModel = null!, _addClass = null!, _schemaShapeCreate = null!;
        private FieldInfo _writer = null!, _reader = null!, _catalogLock = null!;
        private ConstructorInfo _versionInfo = null!, _loadableClassAttribute = null!, _loadableClassInfo = null!;
        private Type _signatureLoadModel = null!;

        public static Internals Bind()
        {
            var core = typeof(ICanSaveModel).Assembly;
            var missing = new List<string>();
            T? Need<T>(T? member, string what) where T : class
            {
                if (member is null) missing.Add(what);
                return member;
            }

            var saveCtx = typeof(ModelSaveContext);
            var loadCtx = Need(core.GetType("Microsoft.ML.ModelLoadContext"), "type Microsoft.ML.ModelLoadContext");
            var versionInfo = Need(core.GetType("Microsoft.ML.VersionInfo"), "type Microsoft.ML.VersionInfo");
            var lca = Need(core.GetType("Microsoft.ML.LoadableClassAttribute"), "type Microsoft.ML.LoadableClassAttribute");
            var lcaBase = Need(core.GetType("Microsoft.ML.LoadableClassAttributeBase"), "type Microsoft.ML.LoadableClassAttributeBase");
            var lci = Need(typeof(ComponentCatalog).GetNestedType("LoadableClassInfo", Any), "type ComponentCatalog.LoadableClassInfo");
            var b = new Internals
            {
                _signatureLoadModel = Need(core.GetType("Microsoft.ML.SignatureLoadModel"), "type Microsoft.ML.SignatureLoadModel")!,
                _saveCheckAtModel = Need(saveCtx.GetMethod("CheckAtModel", Any, Type.EmptyTypes), "ModelSaveContext.CheckAtModel()")!,
                _writer = Need(saveCtx.GetField("Writer", Any), "field ModelSaveContext.Writer")!,
                _schemaShapeCreate = Need(typeof(SchemaShape).GetMethod("Create", Any, [typeof(DataViewSchema)]), "SchemaShape.Create(DataViewSchema)")!,
                _addClass = Need(lci is null ? null : typeof(ComponentCatalog).GetMethod("AddClass", Any, [lci, typeof(string[]), typeof(bool)]), "ComponentCatalog.AddClass(LoadableClassInfo, string[], bool)")!,
                _catalogLock = Need(typeof(ComponentCatalog).GetField("_lock", Any), "field ComponentCatalog._lock")!,
            };
            if (versionInfo is not null)
            {
                b._setVersionInfo = Need(saveCtx.GetMethod("SetVersionInfo", Any, [versionInfo]), "ModelSaveContext.SetVersionInfo(VersionInfo)")!;
                b._versionInfo = Need(versionInfo.GetConstructor(Any, [typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)]),
                    "VersionInfo(string, uint, uint, uint, string, string, string)")!;
                if (loadCtx is not null)
                {
                    b._loadCheckAtModel = Need(loadCtx.GetMethod("CheckAtModel", Any, [versionInfo]), "ModelLoadContext.CheckAtModel(VersionInfo)")!;
                    b._reader = Need(loadCtx.GetField("Reader", Any), "field ModelLoadContext.Reader")!;
                }
            }
            if (lca is not null)
                b._loadableClassAttribute = Need(lca.GetConstructor(Any, [typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])]),
                    "LoadableClassAttribute(Type, Type, Type, Type, string, string[])")!;
            if (lci is not null && lcaBase is not null)
                b._loadableClassInfo = Need(lci.GetConstructor(Any, [lcaBase, typeof(MethodInfo), typeof(ConstructorInfo), typeof(MethodInfo), typeof(bool)]),
                    "LoadableClassInfo(LoadableClassAttributeBase, MethodInfo, ConstructorInfo, MethodInfo, bool)")!;

            if (missing.Count > 0)
                throw new NotSupportedException(
                    $"LLMML's ML.NET model bridge was written for Microsoft.ML {WrittenFor}, but the loaded Microsoft.ML " +
                    $"{InformationalVersion(core)} lacks: {string.Join("; ", missing)}. Saving LLMML transformers with " +
                    "mlContext.Model.Save/Load is unavailable; save them with LlmModels.Save instead.");
            return b;
        }

        public void SaveCheckAtModel(ModelSaveContext ctx) => Invoke(_saveCheckAtModel, ctx);

        public void SetVersionInfo(ModelSaveContext ctx) => Invoke(_setVersionInfo, ctx, NewVersionInfo());

        public BinaryWriter Writer(ModelSaveContext ctx) => (BinaryWriter)_writer.GetValue(ctx)!;

        public void LoadCheckAtModel(object ctx) => Invoke(_loadCheckAtModel, ctx, NewVersionInfo());

        public BinaryReader Reader(object ctx) => (BinaryReader)_reader.GetValue(ctx)!;

        public SchemaShape CreateSchemaShape(DataViewSchema schema) => (SchemaShape)Invoke(_schemaShapeCreate, null, schema)!;

        public void AddLoader(ComponentCatalog catalog)
        {
            var attribute = _loadableClassAttribute.Invoke([typeof(ITransformer), typeof(MLNetModelBridge), null, _signatureLoadModel, "LLMML archived transformer", new[] { LoaderSignature }]);
            var create = typeof(MLNetModelBridge).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;
            var info = _loadableClassInfo.Invoke([attribute, null, null, create, true]);
            lock (_catalogLock.GetValue(catalog)!)
                Invoke(_addClass, catalog, info, new[] { LoaderSignature }, false);
        }

        // ML.NET 5.0.1 and 6.0.0 reject an entry with neither strings nor a loader assembly name (its header check expects the
        // reader at the tail), so the name is always written; the simple name keeps models loadable across LLMML versions.
        private object NewVersionInfo() =>
            _versionInfo.Invoke([ModelSignature, VersionWritten, VersionWritten, VersionWritten, typeof(MLNetModelBridge).Assembly.GetName().Name, LoaderSignature, null]);

        private static object? Invoke(MethodInfo method, object? target, params object?[] args)
        {
            try
            {
                return method.Invoke(target, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
