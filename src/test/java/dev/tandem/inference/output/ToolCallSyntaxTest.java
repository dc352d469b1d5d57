package dev.tandem.inference.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.inference.output.ToolCallSyntax.Call;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolCallSyntaxTest {

    @Nested
    class ForTemplate {

        @Test
        void choosesHermesWhenThereIsNoTemplate() {
            assertThat(ToolCallSyntax.forTemplate(null)).isEqualTo(ToolCallSyntax.HERMES);
        }

        @Test
        void choosesHermesForATemplateThatTeachesToolCallTags() {
            String qwen = "{%- if tools %}...<tool_call>\\n{\"name\": <function-name>, \"arguments\": <args-json-object>}"
                    + "\\n</tool_call>{%- endif %}";

            assertThat(ToolCallSyntax.forTemplate(qwen)).isEqualTo(ToolCallSyntax.HERMES);
        }

        @Test
        void choosesHermesWhenTheTemplateSaysNothingAboutTools() {
            assertThat(ToolCallSyntax.forTemplate("{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}"))
                    .isEqualTo(ToolCallSyntax.HERMES);
        }

        @Test
        void choosesMistralForATemplateWithTheToolCallsMarker() {
            String mistral = "{%- if message.tool_calls %}{{- \"[TOOL_CALLS][\" }}{%- for tc in message.tool_calls %}";

            assertThat(ToolCallSyntax.forTemplate(mistral)).isEqualTo(ToolCallSyntax.MISTRAL);
        }

        @Test
        void detectsMarkersRegardlessOfCase() {
            assertThat(ToolCallSyntax.forTemplate("... [Tool_Calls] ...")).isEqualTo(ToolCallSyntax.MISTRAL);
            assertThat(ToolCallSyntax.forTemplate("... <MiniMax:Tool_Call> ...")).isEqualTo(ToolCallSyntax.MINIMAX);
        }

        @Test
        void choosesMiniMaxForATemplateWithItsXmlMarkerEvenIfItAlsoMentionsToolCalls() {
            String minimax = "{{- '<minimax:tool_call>' }}{%- for tool_call in message.tool_calls %}"
                    + "<invoke name=\"{{ tool_call.name }}\"> [TOOL_CALLS]";

            assertThat(ToolCallSyntax.forTemplate(minimax)).isEqualTo(ToolCallSyntax.MINIMAX);
        }
    }

    @Test
    void markersAreThoseEachModelFamilyWrites() {
        assertThat(ToolCallSyntax.NONE.open()).isNull();
        assertThat(ToolCallSyntax.NONE.close()).isNull();
        assertThat(ToolCallSyntax.HERMES.open()).isEqualTo("<tool_call>");
        assertThat(ToolCallSyntax.HERMES.close()).isEqualTo("</tool_call>");
        assertThat(ToolCallSyntax.MISTRAL.open()).isEqualTo("[TOOL_CALLS]");
        assertThat(ToolCallSyntax.MISTRAL.close()).as("a Mistral call runs to the end of the output").isNull();
        assertThat(ToolCallSyntax.MINIMAX.open()).isEqualTo("<minimax:tool_call>");
        assertThat(ToolCallSyntax.MINIMAX.close()).isEqualTo("</minimax:tool_call>");
    }

    @Test
    void noneReadsNoCalls() {
        assertThat(ToolCallSyntax.NONE.parse("{\"name\":\"f\",\"arguments\":{}}")).isNull();
    }

    @Nested
    class Hermes {

        @Test
        void readsNameAndObjectArguments() {
            assertThat(ToolCallSyntax.HERMES.parse("\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"))
                    .containsExactly(new Call("get_weather", "{\"city\":\"Paris\"}"));
        }

        @Test
        void readsArgumentsGivenAsAJsonStringTheSameAsAnObject() {
            assertThat(ToolCallSyntax.HERMES.parse("{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}"))
                    .containsExactly(new Call("get_weather", "{\"city\":\"Paris\"}"));
        }

        @Test
        void acceptsParametersAsAnotherNameForArguments() {
            assertThat(ToolCallSyntax.HERMES.parse("{\"name\":\"f\",\"parameters\":{\"x\":1}}"))
                    .containsExactly(new Call("f", "{\"x\":1}"));
        }

        @Test
        void givesEmptyObjectArgumentsWhenNoneOrNullAreGiven() {
            assertThat(ToolCallSyntax.HERMES.parse("{\"name\":\"now\"}")).containsExactly(new Call("now", "{}"));
            assertThat(ToolCallSyntax.HERMES.parse("{\"name\":\"now\",\"arguments\":null}"))
                    .containsExactly(new Call("now", "{}"));
        }

        @Test
        void readsSeveralCallsFromAnArray() {
            assertThat(ToolCallSyntax.HERMES.parse("[{\"name\":\"a\",\"arguments\":{}},{\"name\":\"b\",\"arguments\":{\"n\":2}}]"))
                    .containsExactly(new Call("a", "{}"), new Call("b", "{\"n\":2}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "",
                "   \n ",
                "{not json}",
                "{\"name\": \"f\", \"arguments\": {\"x\": 1}",   // cut off
                "{\"arguments\":{}}",                            // no name
                "{\"name\": 42, \"arguments\":{}}",              // name not a string
                "{\"name\":\"f\",\"arguments\":[1,2]}",          // arguments not an object
                "{\"name\":\"f\",\"arguments\":7}",
                "{\"name\":\"f\",\"arguments\":\"not json\"}",   // string that is not JSON
                "{\"name\":\"f\",\"arguments\":\"[1]\"}",        // string that is JSON but not an object
                "\"just a string\"",
                "[]",
                "[{\"name\":\"a\",\"arguments\":{}}, 5]"         // one bad item spoils the array
        })
        void rejectsBodiesThatAreNotWellFormedCalls(String body) {
            assertThat(ToolCallSyntax.HERMES.parse(body)).isNull();
        }
    }

    @Test
    void mistralReadsTheJsonArrayAfterTheMarker() {
        assertThat(ToolCallSyntax.MISTRAL.parse("[{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}, "
                + "{\"name\": \"now\", \"arguments\": {}}]"))
                .containsExactly(new Call("add", "{\"a\":1,\"b\":2}"), new Call("now", "{}"));
        assertThat(ToolCallSyntax.MISTRAL.parse("oops")).isNull();
    }

    @Nested
    class MiniMax {

        @Test
        void readsInvokesWithTheirParameters() {
            String body = """

                    <invoke name="get_weather">
                    <parameter name="city">Paris</parameter>
                    <parameter name="days">3</parameter>
                    </invoke>
                    """;

            assertThat(ToolCallSyntax.MINIMAX.parse(body))
                    .containsExactly(new Call("get_weather", "{\"city\":\"Paris\",\"days\":3}"));
        }

        @Test
        void readsParameterValuesAsJsonWhereTheyAreAndAsStringsOtherwise() {
            String body = "<invoke name=\"f\">"
                    + "<parameter name=\"obj\">{\"k\": [1, true]}</parameter>"
                    + "<parameter name=\"flag\"> false </parameter>"
                    + "<parameter name=\"text\">\n  two words \n</parameter>"
                    + "<parameter name=\"multi\">line one\nline two</parameter>"
                    + "</invoke>";

            assertThat(ToolCallSyntax.MINIMAX.parse(body)).containsExactly(new Call("f",
                    "{\"obj\":{\"k\":[1,true]},\"flag\":false,\"text\":\"two words\",\"multi\":\"line one\\nline two\"}"));
        }

        @Test
        void readsSeveralInvokesInOrderAndOneWithoutParameters() {
            String body = "<invoke name=\"first\"><parameter name=\"a\">1</parameter></invoke>\n"
                    + "<invoke name=\"second\"></invoke>";

            assertThat(ToolCallSyntax.MINIMAX.parse(body))
                    .containsExactly(new Call("first", "{\"a\":1}"), new Call("second", "{}"));
        }

        @Test
        void rejectsABodyWithoutAnyCompleteInvoke() {
            assertThat(ToolCallSyntax.MINIMAX.parse("<invoke name=\"f\"><parameter name=\"a\">1</parameter>")).isNull();
            assertThat(ToolCallSyntax.MINIMAX.parse("just text")).isNull();
        }
    }
}
