package io.gatehouse.connector.sdk;

import java.util.List;

/** A set of related tools of a connector, usually one class holding the collaborators they share. */
public interface ToolGroup {

    List<Tool<?>> tools();
}
