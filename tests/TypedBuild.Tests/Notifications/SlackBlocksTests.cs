using System.Text.Json;
using TypedBuild.Notifications.Slack.Blocks;

namespace TypedBuild.Tests.Notifications;

public sealed class SlackBlocksTests
{
    [Fact]
    public void Blocks_serialize_to_the_block_kit_shape()
    {
        var message = new SlackMessage("fallback", [
            new HeaderBlock("Title"),
            new SectionBlock("*bold*", ["a", "b"]),
            new DividerBlock(),
            new ContextBlock("small"),
            new ActionsBlock([new LinkButton("View run", new Uri("https://ci.example.test/run/1"))]),
        ]);

        using var json = JsonDocument.Parse(message.ToJson());
        var blocks = json.RootElement.GetProperty("blocks");

        Assert.Equal("fallback", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(["header", "section", "divider", "context", "actions"], blocks.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("mrkdwn", blocks[1].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal(2, blocks[1].GetProperty("fields").GetArrayLength());
        Assert.Equal("button", blocks[4].GetProperty("elements")[0].GetProperty("type").GetString());
        Assert.Equal("https://ci.example.test/run/1", blocks[4].GetProperty("elements")[0].GetProperty("url").GetString());
        Assert.False(blocks[3].TryGetProperty("fields", out _));
    }

    [Fact]
    public void Texts_are_cut_to_the_block_kit_limits()
    {
        var header = new HeaderBlock(new string('h', 400));
        var section = new SectionBlock(new string('s', 5000), Enumerable.Range(0, 14).Select(i => new string('f', 2500)));

        Assert.Equal(SlackLimits.HeaderText, header.Text.Text.Length);
        Assert.EndsWith("…", header.Text.Text, StringComparison.Ordinal);
        Assert.Equal(SlackLimits.SectionText, section.Text!.Text.Length);
        Assert.Equal(SlackLimits.SectionFields, section.Fields!.Count);
        Assert.All(section.Fields, f => Assert.Equal(SlackLimits.FieldText, f.Text.Length));
        Assert.Equal("short", SlackText.Cut("short", 10));
    }

    [Fact]
    public void A_message_keeps_at_most_fifty_blocks_and_says_how_many_it_left_out()
    {
        var message = new SlackMessage(new string('t', 4000), Enumerable.Range(0, 60).Select(i => new SectionBlock($"block {i}")));

        Assert.Equal(SlackLimits.Blocks, message.Blocks.Count);
        Assert.Equal("_11 more blocks left out (Slack shows at most 50)._", Assert.IsType<ContextBlock>(message.Blocks[^1]).Elements[0].Text);
        Assert.Equal(SlackLimits.FallbackText, message.Text.Length);
    }

    [Fact]
    public void Mrkdwn_control_characters_are_escaped_and_empty_sections_refused()
    {
        Assert.Equal("a &lt;b&gt; &amp; c", SlackText.Escape("a <b> & c"));
        Assert.Throws<ArgumentException>(() => new SectionBlock());
        Assert.Throws<ArgumentOutOfRangeException>(() => SlackText.Cut("x", 0));
    }
}
