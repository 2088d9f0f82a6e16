// SPDX-License-Identifier: GPL-2.0-only
/*
 * The group, /dev/vfio/<N>: its node, VFIO_GROUP_GET_STATUS, SET/UNSET
 * container and their errors, exclusive open, a group kept open by its
 * device fds, a viable group of two vfio-pci devices behind a PCI bridge,
 * and the same group made non-viable by binding one of its devices to a
 * kernel driver (e1000), or refusing that driver while the group is owned
 * by userspace.
 *
 * The tests that rebind VFIO_BRIDGE_E1000 restore it to vfio-pci in their
 * teardown, which also runs when an assertion fails.
 *
 * Error codes are those of Debian's stock 6.1 modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define VFIO_BOGUS_IOCTL	_IO(VFIO_TYPE, VFIO_BASE + 99)

static const char *edu0, *bridge, *bridge_edu, *bridge_e1000;

TEST(group_node)
{
	char path[64];
	struct stat st;
	int id;

	id = vfio_group_id(edu0);
	ASSERT_LE(0, id);
	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* groups have their own char major, not misc's */
	EXPECT_NE(10U, major(st.st_rdev));
	EXPECT_EQ(0600U, st.st_mode & 07777);
}

/* EDU0's group and a container, not connected. */
FIXTURE(group)
{
	int container;
	int group;
};

FIXTURE_SETUP(group)
{
	self->container = -1;
	self->group = -1;
	self->container = vfio_open_container();
	ASSERT_LE(0, self->container);
	self->group = vfio_open_group(edu0);
	ASSERT_LE(0, self->group);
}

FIXTURE_TEARDOWN(group)
{
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
}

TEST_F(group, status)
{
	struct vfio_group_status st;
	uint32_t flags;

	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);

	/* a larger argsz is fine */
	memset(&st, 0xff, sizeof(st));
	st.argsz = 4096;
	EXPECT_EQ(0, vfio_ioctl(self->group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(GROUP_VIABLE, st.flags);
}

TEST_F(group, status_short_argsz)
{
	struct vfio_group_status st = { .flags = 0xdead };

	st.argsz = offsetof(struct vfio_group_status, flags);
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->group, VFIO_GROUP_GET_STATUS,
				      &st));
	st.argsz = sizeof(st) - 1;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->group, VFIO_GROUP_GET_STATUS,
				      &st));
	st.argsz = 0;
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->group, VFIO_GROUP_GET_STATUS,
				      &st));
	/* untouched */
	EXPECT_EQ(0xdeadU, st.flags);
}

TEST_F(group, set_unset_container)
{
	uint32_t flags;

	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE | GROUP_CONTAINER_SET, flags);

	ASSERT_EQ(0, vfio_group_unset_container(self->group));
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);

	EXPECT_EQ(-EINVAL, vfio_group_unset_container(self->group));
	/* and again, with an IOMMU this time */
	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, vfio_group_unset_container(self->group));
}

TEST_F(group, unset_without_container)
{
	uint32_t flags;

	EXPECT_EQ(-EINVAL, vfio_group_unset_container(self->group));
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
}

TEST_F(group, set_container_twice)
{
	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	EXPECT_EQ(-EINVAL, vfio_group_set_container(self->group,
						    self->container));
}

TEST_F(group, set_container_bad_fd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	uint32_t flags;

	ASSERT_LE(0, null);
	EXPECT_EQ(-EBADF, vfio_group_set_container(self->group, -1));
	/* not a container */
	EXPECT_EQ(-EINVAL, vfio_group_set_container(self->group, null));
	EXPECT_EQ(-EINVAL, vfio_group_set_container(self->group,
						    self->group));
	close(null);
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
}

TEST_F(group, unknown_ioctl)
{
	EXPECT_EQ(-ENOTTY, vfio_ioctl(self->group, VFIO_BOGUS_IOCTL, NULL));
	EXPECT_EQ(-ENOTTY, vfio_ioctl(self->group, VFIO_GET_API_VERSION,
				      NULL));
}

TEST_F(group, second_open)
{
	int fd;

	EXPECT_EQ(-EBUSY, vfio_open_group(edu0));
	ASSERT_EQ(0, close(self->group));
	self->group = -1;
	fd = vfio_open_group(edu0);
	ASSERT_LE(0, fd);
	self->group = fd;
}

/* A device fd holds its group open, and the group its container. */
TEST_F(group, held_by_device_fd)
{
	uint32_t flags;
	int dev, fd;

	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	dev = vfio_get_device_fd(self->group, edu0);
	ASSERT_LE(0, dev);

	ASSERT_EQ(0, close(self->group));
	self->group = -1;
	EXPECT_EQ(-EBUSY, vfio_open_group(edu0));

	ASSERT_EQ(0, close(dev));
	fd = vfio_open_group(edu0);
	ASSERT_LE(0, fd);
	self->group = fd;
	/* the last close of the group took it out of the container */
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
}

/*
 * The group behind the PCI bridge: the bridge, VFIO_BRIDGE_EDU and
 * VFIO_BRIDGE_E1000.  Setup only records what it did, so that the
 * teardown always runs and restores VFIO_BRIDGE_E1000 to vfio-pci.
 */
FIXTURE(bridge)
{
	int container;
	int group;
	char override[64];
	int override_ret;
};

FIXTURE_SETUP(bridge)
{
	self->container = -1;
	self->group = -1;
	ASSERT_NE(NULL, bridge_edu);
	ASSERT_NE(NULL, bridge_e1000);
	self->override_ret = pci_get_driver_override(bridge_e1000,
						     self->override,
						     sizeof(self->override));
}

FIXTURE_TEARDOWN(bridge)
{
	char drv[64];

	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
	EXPECT_EQ(0, pci_rebind(bridge_e1000, "vfio-pci"));
	if (!self->override_ret) {
		EXPECT_EQ(0, pci_set_driver_override(bridge_e1000,
						     self->override));
	}
	EXPECT_EQ(0, pci_driver_name(bridge_e1000, drv, sizeof(drv)));
	EXPECT_STREQ("vfio-pci", drv);
}

/* Both devices bound to vfio-pci: viable, and both can be opened. */
TEST_F(bridge, two_devices)
{
	int id, d0, d1;
	uint32_t flags;

	id = vfio_group_id(bridge_edu);
	ASSERT_LE(0, id);
	EXPECT_EQ(id, vfio_group_id(bridge_e1000));
	if (bridge)
		EXPECT_EQ(id, vfio_group_id(bridge));
	EXPECT_NE(id, vfio_group_id(edu0));

	self->container = vfio_open_container();
	ASSERT_LE(0, self->container);
	self->group = vfio_open_group(bridge_edu);
	ASSERT_LE(0, self->group);
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));

	d0 = vfio_get_device_fd(self->group, bridge_edu);
	EXPECT_LE(0, d0);
	d1 = vfio_get_device_fd(self->group, bridge_e1000);
	EXPECT_LE(0, d1);
	/* the bridge is in the group but isn't a vfio device */
	if (bridge)
		EXPECT_EQ(-ENODEV, vfio_get_device_fd(self->group, bridge));
	/* nor is a device of another group */
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(self->group, edu0));
	EXPECT_EQ(-EBUSY, vfio_group_unset_container(self->group));
	if (d0 >= 0)
		close(d0);
	EXPECT_EQ(-EBUSY, vfio_group_unset_container(self->group));
	if (d1 >= 0)
		close(d1);
	EXPECT_EQ(0, vfio_group_unset_container(self->group));
}

/* VFIO_BRIDGE_E1000 bound to e1000: the group is not viable. */
TEST_F(bridge, not_viable)
{
	uint32_t flags;
	char drv[64];

	ASSERT_EQ(0, self->override_ret);
	ASSERT_EQ(0, pci_rebind(bridge_e1000, "e1000"));
	ASSERT_EQ(0, pci_driver_name(bridge_e1000, drv, sizeof(drv)));
	ASSERT_STREQ("e1000", drv);

	self->container = vfio_open_container();
	ASSERT_LE(0, self->container);
	/* the edu keeps the group alive: it can be opened */
	self->group = vfio_open_group(bridge_edu);
	ASSERT_LE(0, self->group);
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(0U, flags);

	EXPECT_EQ(-EPERM, vfio_group_set_container(self->group,
						   self->container));
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(0U, flags);
	EXPECT_EQ(-EINVAL, vfio_set_iommu(self->container,
					  VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, vfio_get_device_fd(self->group, bridge_edu));
	/* the e1000 is no vfio device any more */
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(self->group, bridge_e1000));

	/* back to vfio-pci: viable again, even with the group open */
	ASSERT_EQ(0, pci_rebind(bridge_e1000, "vfio-pci"));
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
	EXPECT_EQ(0, vfio_group_set_container(self->group, self->container));
	EXPECT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
}

/*
 * While userspace owns the group (it is in a container), a kernel driver
 * can't bind to one of its devices, and vfio-pci can bind back.
 */
TEST_F(bridge, kernel_driver_refused_while_owned)
{
	uint32_t flags;
	char drv[64];
	int dev;

	ASSERT_EQ(0, self->override_ret);
	self->container = vfio_open_container();
	ASSERT_LE(0, self->container);
	self->group = vfio_open_group(bridge_edu);
	ASSERT_LE(0, self->group);
	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));

	EXPECT_EQ(-ENXIO, pci_rebind(bridge_e1000, "e1000"));
	ASSERT_EQ(0, pci_driver_name(bridge_e1000, drv, sizeof(drv)));
	EXPECT_STREQ("", drv);
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE | GROUP_CONTAINER_SET, flags);

	ASSERT_EQ(0, pci_rebind(bridge_e1000, "vfio-pci"));
	dev = vfio_get_device_fd(self->group, bridge_e1000);
	EXPECT_LE(0, dev);
	if (dev >= 0)
		close(dev);
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	bridge = vfio_test_env("VFIO_BRIDGE");
	bridge_edu = vfio_test_env("VFIO_BRIDGE_EDU");
	bridge_e1000 = vfio_test_env("VFIO_BRIDGE_E1000");
	if (!edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
