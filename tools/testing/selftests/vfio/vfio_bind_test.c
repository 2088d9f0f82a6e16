// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binding devices to vfio-pci and unbinding them: by ID through new_id,
 * refusal of devices that are not type-0 (a PCI bridge), the life of the
 * /dev/vfio/<N> node with its last device, and an unbind that has to wait
 * for userspace: it asks through the REQ eventfd and completes only once
 * the device file is closed.
 *
 * Every test works on VFIO_EDU1 (alone in its group) or VFIO_BRIDGE, and
 * puts VFIO_EDU1 back on vfio-pci with driver_override set, as the VM
 * harness left it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vfio_util.h"

#define VFIO_PCI_DRIVER	"/sys/bus/pci/drivers/vfio-pci"

static int sysfs_write(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int pci_unbind(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bdf);
	return sysfs_write(path, bdf);
}

static bool group_node_exists(int group_id)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/vfio/%d", group_id);
	return stat(path, &st) == 0;
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Puts VFIO_EDU1 back as the harness left it. */
static void restore_edu1(const char *bdf)
{
	char drv[64] = "";

	sysfs_write(VFIO_PCI_DRIVER "/remove_id", "1234 11e8");
	pci_driver_name(bdf, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci") || pci_set_driver_override(bdf, "vfio-pci"))
		pci_rebind(bdf, "vfio-pci");
}

FIXTURE(bind) {
	const char *edu1;
	int group_id;
};

FIXTURE_SETUP(bind)
{
	char drv[64];

	self->edu1 = vfio_test_env("VFIO_EDU1");
	if (!self->edu1)
		SKIP(return, "VFIO_EDU1 not set (not in the test VM)");
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	self->group_id = vfio_group_id(self->edu1);
	ASSERT_LT(0, self->group_id);
	ASSERT_TRUE(group_node_exists(self->group_id));
}

FIXTURE_TEARDOWN(bind)
{
	char drv[64] = "";

	if (!self->edu1)
		return;
	restore_edu1(self->edu1);
	EXPECT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	EXPECT_STREQ("vfio-pci", drv);
}

/* The group node lives as long as a device of the group is bound. */
TEST_F(bind, group_node_follows_last_device)
{
	char drv[64];

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	ASSERT_EQ(0, pci_unbind(self->edu1));
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("", drv);
	EXPECT_FALSE(group_node_exists(self->group_id));

	ASSERT_EQ(0, pci_rebind(self->edu1, "vfio-pci"));
	EXPECT_TRUE(group_node_exists(self->group_id));
}

/* new_id binds every unbound device of that ID; remove_id undoes it. */
TEST_F(bind, new_id)
{
	struct vfio_dev d;
	char drv[64];

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	ASSERT_EQ(0, pci_unbind(self->edu1));
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("", drv);

	ASSERT_EQ(0, sysfs_write(VFIO_PCI_DRIVER "/new_id", "1234 11e8"));
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	ASSERT_TRUE(group_node_exists(self->group_id));

	/* And the device bound by ID is usable. */
	vfio_dev_init(&d, self->edu1);
	ASSERT_EQ(0, vfio_dev_open(&d, self->edu1, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, edu_map_bar0(&d));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&d, EDU_REG_ID));
	vfio_dev_close(&d);

	/* A second new_id of the same ID is refused. */
	EXPECT_EQ(-EEXIST, sysfs_write(VFIO_PCI_DRIVER "/new_id", "1234 11e8"));
	EXPECT_EQ(0, sysfs_write(VFIO_PCI_DRIVER "/remove_id", "1234 11e8"));
	EXPECT_EQ(-ENODEV,
		  sysfs_write(VFIO_PCI_DRIVER "/remove_id", "1234 11e8"));
}

/* A group file opened before its last device left finds no group. */
TEST_F(bind, open_group_outlives_device)
{
	uint32_t flags;
	int group;

	group = vfio_open_group(self->edu1);
	ASSERT_LE(0, group);
	ASSERT_EQ(0, vfio_group_status(group, &flags));

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	ASSERT_EQ(0, pci_unbind(self->edu1));
	EXPECT_FALSE(group_node_exists(self->group_id));
	EXPECT_EQ(-ENODEV, vfio_group_status(group, &flags));
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(group, self->edu1));
	close(group);

	ASSERT_EQ(0, pci_rebind(self->edu1, "vfio-pci"));
	group = vfio_open_group(self->edu1);
	ASSERT_LE(0, group);
	EXPECT_EQ(0, vfio_group_status(group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
	close(group);
}

/*
 * Unbinding a device whose file is open blocks; vfio-pci asks userspace to
 * let go through the REQ eventfd, and the unbind completes once the
 * device file is closed.
 */
TEST_F(bind, unbind_waits_for_device_file)
{
	struct timespec start;
	struct vfio_dev d;
	int status, req;
	pid_t child;

	vfio_dev_init(&d, self->edu1);
	ASSERT_EQ(0, vfio_dev_open(&d, self->edu1, VFIO_TYPE1v2_IOMMU));
	req = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, req);
	ASSERT_EQ(0, vfio_irq_set_eventfd(d.device, VFIO_PCI_REQ_IRQ_INDEX,
					  req));

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		/* Our copies of the files would keep the device in use. */
		close(req);
		close(d.device);
		close(d.group);
		close(d.container);
		_exit(pci_unbind(self->edu1) ? 1 : 0);
	}

	/* The request comes at once; the unbind waits for us. */
	EXPECT_EQ(1, vfio_eventfd_wait(req, 5000));
	usleep(300 * 1000);
	EXPECT_EQ(0, waitpid(child, &status, WNOHANG));

	clock_gettime(CLOCK_MONOTONIC, &start);
	vfio_dev_close(&d);
	close(req);
	while (waitpid(child, &status, WNOHANG) == 0 &&
	       elapsed_ms(&start) < 10000)
		usleep(10 * 1000);
	if (elapsed_ms(&start) >= 10000) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
		ASSERT_TRUE(false) TH_LOG("unbind still blocked after close");
	}
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_FALSE(group_node_exists(self->group_id));
}

/* vfio-pci takes only type-0 (normal) functions: a bridge is refused. */
TEST(bridge_refused)
{
	const char *bridge = vfio_test_env("VFIO_BRIDGE");
	char drv[64];

	if (!bridge)
		SKIP(return, "VFIO_BRIDGE not set (not in the test VM)");
	ASSERT_EQ(0, pci_driver_name(bridge, drv, sizeof(drv)));
	ASSERT_STREQ("", drv);
	EXPECT_EQ(-ENXIO, pci_rebind(bridge, "vfio-pci"));
	EXPECT_EQ(0, pci_set_driver_override(bridge, ""));
	EXPECT_EQ(0, pci_driver_name(bridge, drv, sizeof(drv)));
	EXPECT_STREQ("", drv);
}

TEST_HARNESS_MAIN
