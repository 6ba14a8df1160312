using System.IO.Compression;
using LLMML.Build;
using LLMML.LanguageModels.Modeling;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Build;

/// <summary>
/// build/PatchMklVendorCheck.cs: the build output's libtorch_cpu.so answers MKL's vendor check with "Intel" on AMD hosts,
/// differs from the NuGet cache in exactly those 6 bytes, the cache file stays as packaged, and the numbers stay right.
/// </summary>
public class MklVendorCheckTests
{
    private static readonly string OutputLibrary = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so");

    private static string CachePackage
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, "libtorch-cpu-linux-x64", "2.10.0");
        }
    }

    private static string CacheLibrary => Path.Combine(CachePackage, "runtimes", "linux-x64", "native", "libtorch_cpu.so");

    private static bool OnAmdLinux => OperatingSystem.IsLinux() && MklVendorCheck.HostVendor("/proc/cpuinfo") == "AuthenticAMD";

    [Fact]
    public void OutputDiffersFromTheCacheExactlyInThePatchedBytesOnAmdAndNowhereElse()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(CacheLibrary)) return;   // the linux-x64 package is restored on Linux only
        var located = MklVendorCheck.Locate(CacheLibrary);
        located.Should().NotBeNull("libtorch 2.10's MKL defines {0}", MklVendorCheck.Symbol);
        var offset = located!.Value.Offset;

        var differences = DifferingOffsets(CacheLibrary, OutputLibrary);
        if (OnAmdLinux)
        {
            differences.Should().Equal(Enumerable.Range(0, 6).Select(i => offset + i));
            ReadBytes(OutputLibrary, offset, 6).Should().Equal(MklVendorCheck.Replacement);
        }
        else
        {
            differences.Should().BeEmpty("the patch only applies on AMD hosts");
        }
    }

    [Fact]
    public void TheNuGetCacheCopyIsStillTheOnePackaged()
    {
        var package = Path.Combine(CachePackage, "libtorch-cpu-linux-x64.2.10.0.nupkg");
        if (!OperatingSystem.IsLinux() || !File.Exists(package)) return;
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry("runtimes/linux-x64/native/libtorch_cpu.so");
        entry.Should().NotBeNull();
        using var packaged = entry!.Open();
        using var cached = File.OpenRead(CacheLibrary);
        cached.Length.Should().Be(entry.Length);
        StreamsEqual(packaged, cached).Should().BeTrue("the build must never write through the hard link into the NuGet cache");
        var body = ReadBytes(CacheLibrary, MklVendorCheck.Locate(CacheLibrary)!.Value.Offset, 98);
        MklVendorCheck.LooksLikeVendorCheck(body).Should().BeTrue();
    }

    [Fact]
    public void PatchReplacesAHardLinkIsIdempotentAndLeavesTheOtherNameAlone()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(CacheLibrary)) return;
        using var dir = new TempDirectory();
        var original = dir.CopyOf(CacheLibrary, "original.so");
        var linked = Path.Combine(dir.Path, "linked.so");
        Link(original, linked);

        var first = MklVendorCheck.Patch(linked);
        first.Kind.Should().Be(MklVendorCheck.OutcomeKind.Patched);
        DifferingOffsets(original, linked).Should().Equal(Enumerable.Range(0, 6).Select(i => first.FileOffset + i));
        ReadBytes(linked, first.FileOffset, 6).Should().Equal(MklVendorCheck.Replacement);
        File.GetLastWriteTimeUtc(linked).Should().Be(File.GetLastWriteTimeUtc(original), "MSBuild's incremental copy must see it as up to date");

        var second = MklVendorCheck.Patch(linked);
        second.Kind.Should().Be(MklVendorCheck.OutcomeKind.AlreadyPatched);
        second.FileOffset.Should().Be(first.FileOffset);
        DifferingOffsets(original, linked).Should().HaveCount(6);
    }

    [Fact]
    public void AFunctionThatIsNotTheVendorCheckIsSkippedAndLeftUnchanged()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(CacheLibrary)) return;
        using var dir = new TempDirectory();
        var copy = dir.CopyOf(CacheLibrary, "changed.so");
        var (offset, size) = MklVendorCheck.Locate(copy)!.Value;
        using (var file = new FileStream(copy, FileMode.Open, FileAccess.Write))
        {
            file.Position = offset;
            file.Write(Enumerable.Repeat((byte)0x90, (int)size).ToArray());   // a future MKL with another body
        }
        var before = ReadBytes(copy, offset, (int)size);

        var outcome = MklVendorCheck.Patch(copy);

        outcome.Kind.Should().Be(MklVendorCheck.OutcomeKind.Skipped);
        outcome.Message.Should().Contain("does not look like").And.Contain("90 90");
        ReadBytes(copy, offset, (int)size).Should().Equal(before);
    }

    [Fact]
    public void ALibraryWithoutTheSymbolIsLeftAlone()
    {
        var libTorchSharp = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(libTorchSharp)) return;
        MklVendorCheck.Patch(libTorchSharp).Kind.Should().Be(MklVendorCheck.OutcomeKind.NoSymbol);
    }

    [Fact]
    public void TheTaskDoesNothingOnAnIntelHostAndPatchesOnAnAmdOne()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(CacheLibrary)) return;
        using var dir = new TempDirectory();
        var copy = dir.CopyOf(CacheLibrary, "libtorch_cpu.so");
        var intel = Path.Combine(dir.Path, "cpuinfo-intel");
        var amd = Path.Combine(dir.Path, "cpuinfo-amd");
        File.WriteAllText(intel, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n");
        File.WriteAllText(amd, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n");
        MklVendorCheck.HostVendor(intel).Should().Be("GenuineIntel");

        var engine = new RecordingEngine();
        new PatchMklVendorCheck { BuildEngine = engine, Files = [new TaskItem(copy)], CpuInfo = intel }.Execute().Should().BeTrue();
        DifferingOffsets(CacheLibrary, copy).Should().BeEmpty();

        new PatchMklVendorCheck { BuildEngine = engine, Files = [new TaskItem(copy)], CpuInfo = amd }.Execute().Should().BeTrue();
        DifferingOffsets(CacheLibrary, copy).Should().HaveCount(6);
        engine.Warnings.Should().BeEmpty();
        engine.Messages.Should().Contain(m => m.Contains("patched mkl_serv_intel_cpu_true"));
    }

    [Fact]
    public void AToolPackagesCopyIsPatchedWhateverTheHost()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(CacheLibrary)) return;
        using var dir = new TempDirectory();
        var copy = dir.CopyOf(CacheLibrary, "libtorch_cpu.so");
        var intel = Path.Combine(dir.Path, "cpuinfo-intel");
        File.WriteAllText(intel, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n");

        var engine = new RecordingEngine();
        new PatchMklVendorCheck { BuildEngine = engine, Files = [new TaskItem(copy)], CpuInfo = intel, AnyHost = true }.Execute().Should().BeTrue();

        DifferingOffsets(CacheLibrary, copy).Should().HaveCount(6);
        engine.Messages.Should().Contain(m => m.Contains("for any host"));
    }

    // fp32 GEMM against a float64 one of the same inputs. With entries ~ N(0, 1) and K = 768 the outputs are ~ N(0, 768)
    // (|C| up to ~100); fp32 rounding of a K-term dot product is typically √K·2⁻²⁴·|C| ≈ 1e-4 (measured 5e-5 unpatched,
    // 8e-5 patched). 1e-3 leaves room for summation order and still fails at once for a kernel computing the wrong thing.
    [Theory]
    [InlineData(512, 768, 3072)]
    [InlineData(37, 129, 65)]
    [InlineData(1, 768, 2304)]
    public void Fp32GemmMatchesFloat64(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var a = randn([m, k], generator: generator);
        var w = randn([n, k], generator: generator);     // a Linear weight: the GEMM multiplies by its transpose
        var bias = randn([n], generator: generator);
        var reference = a.to_type(ScalarType.Float64).matmul(w.to_type(ScalarType.Float64).t()) + bias.to_type(ScalarType.Float64);
        var product = nn.functional.linear(a, w, bias);
        (product.to_type(ScalarType.Float64) - reference).abs().max().item<double>().Should().BeLessThan(1e-3);
        (a.matmul(w.t()).to_type(ScalarType.Float64) + bias.to_type(ScalarType.Float64) - reference).abs().max().item<double>().Should().BeLessThan(1e-3);
    }

    // A whole tiny GPT-2 forward in fp32 against the same weights in float64: LayerNorm, softmax and GELU on top of the
    // GEMMs keep the logits (|logit| ≲ 1 with std-0.02 weights) within fp32 rounding, far below 1e-4.
    [Fact]
    public void Fp32ForwardMatchesFloat64()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        using var model = new CausalLanguageModel(TransformerConfig.Gpt2(hidden: 128, layers: 2, heads: 4, vocabulary: 97, positions: 64));
        model.eval();
        var ids = randint(0, 97, [3, 17], dtype: ScalarType.Int64);
        using var noGrad = no_grad();
        var single = model.forward(ids).to_type(ScalarType.Float64);
        model.to(ScalarType.Float64);
        var dbl = model.forward(ids);
        (single - dbl).abs().max().item<double>().Should().BeLessThan(1e-4);
    }

    private static List<long> DifferingOffsets(string left, string right)
    {
        const int chunk = 1 << 22;
        var differences = new List<long>();
        using var a = File.OpenRead(left);
        using var b = File.OpenRead(right);
        a.Length.Should().Be(b.Length);
        var x = new byte[chunk];
        var y = new byte[chunk];
        for (long position = 0; position < a.Length; position += chunk)
        {
            var count = (int)Math.Min(chunk, a.Length - position);
            a.ReadExactly(x, 0, count);
            b.ReadExactly(y, 0, count);
            if (x.AsSpan(0, count).SequenceEqual(y.AsSpan(0, count))) continue;
            for (var i = 0; i < count; i++)
                if (x[i] != y[i]) differences.Add(position + i);
        }
        return differences;
    }

    private static bool StreamsEqual(Stream left, Stream right)
    {
        const int chunk = 1 << 22;
        var x = new byte[chunk];
        var y = new byte[chunk];
        while (true)
        {
            var n = left.ReadAtLeast(x, chunk, throwOnEndOfStream: false);
            var m = right.ReadAtLeast(y, chunk, throwOnEndOfStream: false);
            if (n != m || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, m))) return false;
            if (n < chunk) return true;
        }
    }

    private static byte[] ReadBytes(string path, long offset, int count)
    {
        using var file = File.OpenRead(path);
        file.Position = offset;
        var bytes = new byte[count];
        file.ReadExactly(bytes);
        return bytes;
    }

    private static void Link(string existing, string link)
    {
        using var ln = System.Diagnostics.Process.Start("ln", [existing, link])!;
        ln.WaitForExit();
        ln.ExitCode.Should().Be(0);
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("llmml-mkl-").FullName;

        public string CopyOf(string source, string name)
        {
            var copy = System.IO.Path.Combine(Path, name);
            File.Copy(source, copy);
            return copy;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private sealed class RecordingEngine : IBuildEngine
    {
        public List<string> Messages { get; } = [];
        public List<string> Warnings { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => false;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => Warnings.Add("error: " + e.Message);
        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");
        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e.Message ?? "");
    }
}
