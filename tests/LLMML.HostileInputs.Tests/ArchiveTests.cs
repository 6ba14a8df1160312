using LLMML.Foundation.Persistence;

namespace LLMML.HostileInputs.Tests;

/// <summary>Model archives whose declared content would exhaust memory are refused before anything is decompressed.</summary>
public sealed class ArchiveTests
{
    private static byte[] ArchiveWithZeroBlobs(int count, int bytesEach)
    {
        var blobs = Enumerable.Range(0, count).ToDictionary(i => $"zero{i}.bin", _ => new byte[bytesEach]);
        return new ModelArchive("test.component", 1, "{}", blobs: blobs).ToBytes();
    }

    [Fact]
    public void A_zip_bomb_is_refused_by_its_compression_ratio()
    {
        var bytes = ArchiveWithZeroBlobs(2, 32 << 20);
        bytes.Length.Should().BeLessThan(1 << 20, "zeros compress about 1000:1");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var act = () => ModelArchive.FromBytes(bytes, "bomb.llmml");

        act.Should().Throw<InvalidDataException>().WithMessage("bomb.llmml: entry 'blobs/zero0.bin'*zip bomb*");
        (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore).Should().BeLessThan(16L << 20);
    }

    [Fact]
    public void The_total_decompressed_size_is_capped_before_reading()
    {
        var bytes = ArchiveWithZeroBlobs(3, 1 << 20);
        ModelArchive.MaxTotalBytes = 2 << 20;
        try
        {
            var act = () => ModelArchive.FromBytes(bytes, "big.llmml");
            act.Should().Throw<InvalidDataException>().WithMessage("big.llmml: *decompress to*more than the 2097152 allowed*");
        }
        finally
        {
            ModelArchive.MaxTotalBytes = null;
        }
        ModelArchive.FromBytes(bytes, "big.llmml").Blobs.Should().HaveCount(3, "under the default cap the same archive loads");
    }
}
